package dev.hotbackup.link;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of host and config names, so that a name with spaces, quotes, newlines or
 * non-ASCII letters fits in one frame field, and the check that a decoded name can be carried by
 * the signal XML.
 */
public final class Names {

    /** Longest host or config name accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Names() {}

    /** Encodes every byte outside {@code A-Z a-z 0-9 - . _ ~} of the UTF-8 form as {@code %XX}. */
    public static String encode(String name) {
        if (allUnreserved(name)) {
            return name; // nothing to escape: every frame's names, as a rule
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes a field written by {@link #encode}. Strict: any character outside the encoded
     * alphabet, a broken {@code %XX}, or bytes that are not UTF-8 give {@code null}.
     */
    public static String decode(String field) {
        if (allUnreserved(field)) {
            return field; // nothing escaped
        }
        ByteBuffer bytes = ByteBuffer.allocate(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%') {
                if (i + 2 >= field.length()) {
                    return null;
                }
                int hi = Character.digit(field.charAt(i + 1), 16);
                int lo = Character.digit(field.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) ((hi << 4) | lo));
                i += 2;
            } else if (c < 0x80 && isUnreserved(c)) {
                bytes.put((byte) c);
            } else {
                return null;
            }
        }
        bytes.flip();
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Why a decoded name cannot be used, or {@code null} when it can. Names must be non-empty, at
     * most {@link #MAX_LENGTH} characters, and free of characters XML 1.0 cannot hold (control
     * characters other than tab, newline and carriage return; U+FFFE and U+FFFF).
     */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.length() > MAX_LENGTH) {
            return "name longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean xmlChar =
                    c == '\t'
                            || c == '\n'
                            || c == '\r'
                            || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
            if (!xmlChar) {
                return String.format("character U+%04X cannot appear in XML", (int) c);
            }
        }
        return null;
    }

    private static boolean allUnreserved(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || !isUnreserved(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }
}
