package dev.hotbackup.arbiter;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One running instance that can hold leases: the host name it announces and an id drawn at each
 * start, so that a restarted instance is a new holder and never mistakes its predecessor's lease
 * for its own.
 *
 * @param host the instance's {@code hotbackup.host}
 * @param instance 16 hex digits, new at every start
 */
public record Holder(String host, String instance) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A holder for this run of {@code host}. */
    public static Holder forThisRun(String host) {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return new Holder(host, HexFormat.of().formatHex(id));
    }

    @Override
    public String toString() {
        return host + " (instance " + instance + ")";
    }
}
