package dev.hotbackup.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

    private final HeartbeatCodec codec = new HeartbeatCodec(Signer.of("s3cret"));
    private final HeartbeatFrame frame =
            new HeartbeatFrame("serverA", "base", FrameState.LIVE, 1_700_000_000_000L, 42, 7801);

    @Test
    void validFrameRoundTrips() {
        String line = codec.encode(frame);
        assertTrue(line.startsWith("HB1 serverA base LIVE 1700000000000 42 7801 "), line);
        Decoded d = codec.decode(line);
        assertTrue(d.isAccepted(), String.valueOf(d));
        assertEquals(frame, d.frame());
    }

    @Test
    void namesWithAnyCharactersRoundTripInOneLine() {
        HeartbeatFrame odd =
                new HeartbeatFrame("a b'<&>\"\n\tz ✓", "config/ü", FrameState.CLOSE, 5, 6, 0);
        String line = codec.encode(odd);
        assertFalse(line.contains("\n") || line.contains("'") || line.contains("<"), line);
        assertEquals(odd, codec.decode(line).frame());
    }

    @Test
    void forgedFrameIsBadSignature() {
        String forged = new HeartbeatCodec(Signer.of("guess")).encode(frame);
        assertEquals(RejectReason.BAD_SIGNATURE, codec.decode(forged).reason());
    }

    @Test
    void everyModifiedFieldIsBadSignature() {
        String line = codec.encode(frame);
        String[] f = line.split(" ");
        for (int i = 1; i < f.length - 1; i++) {
            String[] g = f.clone();
            g[i] = g[i].equals("LIVE") ? "CLOSE" : g[i] + "1";
            assertEquals(
                    RejectReason.BAD_SIGNATURE,
                    codec.decode(String.join(" ", g)).reason(),
                    "field " + i + " changed");
        }
    }

    @Test
    void unsignedFrameIsRefusedWhereASecretIsSet() {
        String unsigned = new HeartbeatCodec(null).encode(frame);
        assertTrue(unsigned.endsWith(" -"), unsigned);
        assertEquals(RejectReason.UNSIGNED, codec.decode(unsigned).reason());
    }

    @Test
    void signedFrameIsRefusedWhereNoSecretIsSet() {
        assertEquals(
                RejectReason.SECRET_MISMATCH,
                new HeartbeatCodec(null).decode(codec.encode(frame)).reason());
    }

    @Test
    void otherVersionsAndGarbageAreRefused() {
        assertEquals(RejectReason.VERSION, codec.decode("HB2 a b LIVE 1 1 0 x").reason());
        assertEquals(RejectReason.MALFORMED, codec.decode("GET / HTTP/1.1").reason());
        assertEquals(RejectReason.MALFORMED, codec.decode("").reason());
        assertEquals(RejectReason.MALFORMED, codec.decode("HB1 a b LIVE 1 1").reason());
    }

    @Test
    void oversizedLineIsRefused() {
        assertEquals(
                RejectReason.OVERSIZED,
                codec.decode("HB1 " + "a".repeat(HeartbeatCodec.MAX_FRAME_LENGTH)).reason());
    }

    @Test
    void signedButNonsensicalFieldsAreMalformed() {
        Signer signer = Signer.of("s3cret");
        for (String body :
                new String[] {
                    "HB1 a b LIVE -1 1 0", "HB1 a b LIVE 1 0 0", "HB1 a b DEAD 1 1 0",
                    "HB1 a b LIVE 1 1 70000", "HB1 a%zz b LIVE 1 1 0", "HB1 a%C3 b LIVE 1 1 0"
                }) {
            assertEquals(
                    RejectReason.MALFORMED,
                    codec.decode(body + " " + signer.sign(body)).reason(),
                    body);
        }
    }

    @Test
    void namesXmlCannotCarryAreRefused() {
        Signer signer = Signer.of("s3cret");
        for (String host : new String[] {"%00", "a%01b", "%EF%BF%BF", "a".repeat(256)}) {
            String body = "HB1 " + host + " b LIVE 1 1 0";
            assertEquals(
                    RejectReason.BAD_NAME,
                    codec.decode(body + " " + signer.sign(body)).reason(),
                    host);
        }
    }
}
