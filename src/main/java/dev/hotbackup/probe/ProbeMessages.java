package dev.hotbackup.probe;

import dev.hotbackup.link.Names;
import dev.hotbackup.link.Signer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.BiPredicate;

/** Writes and checks the two lines of the reconfirm probe. */
public final class ProbeMessages {

    static final String REQUEST = "PROBE1";
    static final String ANSWER = "PONG1";
    static final int MAX_LINE = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ProbeMessages() {}

    /** Adds the probe's line codec: ASCII lines of bounded length in, Strings out. */
    static void addLineCodec(ChannelPipeline pipeline) {
        pipeline.addLast(new LineBasedFrameDecoder(MAX_LINE, true, true))
                .addLast(new StringDecoder(StandardCharsets.US_ASCII));
    }

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String request(String host, String config, String nonce) {
        return REQUEST + ' ' + Names.encode(host) + ' ' + Names.encode(config) + ' ' + nonce;
    }

    /**
     * The answer to {@code request} by the instance {@code (host, config, boot)}, or {@code null}
     * if the request is not a probe for that instance.
     */
    static String answer(String request, String host, String config, long boot, Signer signer) {
        String[] f = request.split(" ", -1);
        if (f.length != 4
                || !REQUEST.equals(f[0])
                || !Names.encode(host).equals(f[1])
                || !Names.encode(config).equals(f[2])
                || f[3].isEmpty()
                || f[3].length() > 64) {
            return null;
        }
        String body = ANSWER + ' ' + f[1] + ' ' + f[2] + ' ' + boot + ' ' + f[3];
        return body + ' ' + (signer == null ? Signer.NONE : signer.sign(body));
    }

    /**
     * The answer to {@code request} by whichever instance it names, if {@code alive} says that
     * instance answers; {@code null} otherwise. For a responder that stands for many instances (a
     * load generator).
     */
    public static String answerAny(
            String request, long boot, Signer signer, BiPredicate<String, String> alive) {
        String[] f = request.split(" ", -1);
        if (f.length != 4 || !REQUEST.equals(f[0])) {
            return null;
        }
        String host = Names.decode(f[1]);
        String config = Names.decode(f[2]);
        if (host == null || config == null || !alive.test(host, config)) {
            return null;
        }
        return answer(request, host, config, boot, signer);
    }

    /** Whether {@code answer} is a valid answer from (host, config) to the given nonce. */
    static boolean isValidAnswer(
            String answer, String host, String config, String nonce, Signer signer) {
        String[] f = answer.split(" ", -1);
        if (f.length != 6
                || !ANSWER.equals(f[0])
                || !Names.encode(host).equals(f[1])
                || !Names.encode(config).equals(f[2])
                || !nonce.equals(f[4])) {
            return false;
        }
        String mac = f[5];
        String body = answer.substring(0, answer.length() - mac.length() - 1);
        if (signer == null) {
            return Signer.NONE.equals(mac);
        }
        return signer.verify(body, mac);
    }
}
