package dev.hotbackup.link;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over {@code hotbackup.secret}, written as unpadded base64url. Used for heartbeat
 * frames and for probe answers. Thread-safe. Never exposes the key, not even in {@link
 * #toString()}.
 */
public final class Signer {

    /** The signature field of a frame sent without a secret. */
    public static final String NONE = "-";

    private static final String ALGORITHM = "HmacSHA256";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private Signer(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A signer for the given secret, or {@code null} when the secret is empty (unsigned link). */
    public static Signer of(String secret) {
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        return new Signer(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The signature of {@code text} (ASCII). */
    public String sign(String text) {
        Mac mac = macs.get();
        byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        return BASE64.encodeToString(digest);
    }

    /** Whether {@code signature} is the signature of {@code text}; constant-time comparison. */
    public boolean verify(String text, String signature) {
        byte[] expected = sign(text).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = signature.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Signer[HmacSHA256]";
    }
}
