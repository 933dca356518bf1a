package dev.hotbackup.link.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration files one instance of a pair copies to the other: the files and folders of the
 * include list (relative to the working directory) but those of the exclude list, each as it will
 * travel. Secrets never travel: in a text file, the value of any key (properties or YAML) or URI
 * parameter whose name says password, secret, token, passphrase or credential is replaced, and in a
 * properties file the whole line becomes a comment; {@code hotbackup.host} is each host's own and
 * does not travel either. Both sides hash what would travel, so a secret that differs between the
 * hosts is no drift.
 */
public final class ConfigFiles {

    /** The largest file copied; larger ones are listed as skipped. */
    public static final int MAX_FILE_BYTES = 512 * 1024;

    /** At most this many files are copied. */
    public static final int MAX_FILES = 1000;

    /** What stands where a secret was. */
    public static final String HIDDEN = "<not copied: secret>";

    private static final String SECRET_WORDS = "password|passwd|secret|token|passphrase|credential";

    /** {@code key=value} or {@code key: value} whose key names a secret (properties, YAML). */
    private static final Pattern SECRET_KEY =
            Pattern.compile(
                    "^(\\s*(?:[#!]\\s*)?-?\\s*[\\w.\\-\\[\\]\"']*(?i:"
                            + SECRET_WORDS
                            + ")[\\w.\\-\\[\\]\"']*\\s*[=:]\\s*)(\\S.*)$",
                    Pattern.MULTILINE);

    /** {@code password=value} inside a URI ({@code ?user=a&password=b}, {@code &token=...}). */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("([?&;]\\w*(?i:" + SECRET_WORDS + ")\\w*=)([^&\\s\"'<>]+)");

    private static final Pattern HOST_LINE =
            Pattern.compile("^\\s*hotbackup\\.host\\s*[=:].*$", Pattern.MULTILINE);

    /**
     * One snapshot: what travels, by path relative to the working directory ({@code /} between
     * names), in path order, with what was left out and why.
     */
    public record Snapshot(SortedMap<String, byte[]> files, List<String> skipped) {

        /** The hash of one file as it travels. */
        public String hashOf(String path) {
            return sha256(files.get(path));
        }

        /** The hash of the whole set: every path and its content's hash. */
        public String hash() {
            return setHash(hashes());
        }

        /** Each path's content hash. */
        public SortedMap<String, String> hashes() {
            SortedMap<String, String> out = new TreeMap<>();
            files.forEach((p, b) -> out.put(p, sha256(b)));
            return out;
        }
    }

    private ConfigFiles() {}

    /**
     * Reads what would travel from {@code base}.
     *
     * @param include files, and folders ending with {@code /}, relative to {@code base}
     * @param exclude the same, left out
     */
    public static Snapshot snapshot(Path base, List<String> include, List<String> exclude)
            throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        List<Path> excluded = exclude.stream().map(e -> base.resolve(e).normalize()).toList();
        for (String entry : include) {
            Path start = base.resolve(entry).normalize();
            if (!Files.exists(start)) {
                continue;
            }
            List<Path> found;
            try (Stream<Path> walk = Files.walk(start)) {
                found = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : found) {
                if (excluded.stream().anyMatch(f::startsWith)) {
                    continue;
                }
                String rel = base.relativize(f).toString().replace('\\', '/');
                if (files.containsKey(rel)) {
                    continue;
                }
                long size = Files.size(f);
                if (size > MAX_FILE_BYTES) {
                    skipped.add(rel + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB");
                } else if (files.size() >= MAX_FILES) {
                    skipped.add(rel + ": more than " + MAX_FILES + " files");
                } else {
                    files.put(rel, travelling(rel, Files.readAllBytes(f)));
                }
            }
        }
        return new Snapshot(files, List.copyOf(skipped));
    }

    /** A file as it travels: a text file without its secrets and its host name; others as is. */
    static byte[] travelling(String path, byte[] content) {
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(content))
                            .toString();
        } catch (CharacterCodingException e) {
            return content;
        }
        boolean properties = path.toLowerCase(Locale.ROOT).endsWith(".properties");
        StringBuilder out = new StringBuilder(text.length());
        Matcher host = HOST_LINE.matcher(text);
        text = host.replaceAll("# hotbackup.host: not copied (each host has its own)");
        Matcher m = SECRET_KEY.matcher(text);
        while (m.find()) {
            String key = m.group(1);
            boolean comment =
                    key.stripLeading().startsWith("#") || key.stripLeading().startsWith("!");
            String line;
            if (properties && !comment) {
                line = "# " + key.strip().replaceAll("\\s*[=:]$", "") + ": not copied (a secret)";
            } else if (properties) {
                line = key + HIDDEN;
            } else {
                line = key + "\"" + HIDDEN + "\"";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(line));
        }
        m.appendTail(out);
        String result =
                SECRET_PARAMETER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        return result.getBytes(StandardCharsets.UTF_8);
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of a set of files: their paths and content hashes, in path order. */
    public static String setHash(Map<String, String> hashes) {
        StringBuilder all = new StringBuilder();
        new TreeMap<>(hashes).forEach((p, h) -> all.append(p).append('\0').append(h).append('\n'));
        return sha256(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The paths whose content differs between two sets, or that only one has, in order. */
    public static List<String> differences(Map<String, String> a, Map<String, String> b) {
        SortedMap<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        List<String> out = new ArrayList<>();
        for (String p : all.keySet()) {
            if (!a.containsKey(p)) {
                out.add(p + " (only on the primary)");
            } else if (!b.containsKey(p)) {
                out.add(p + " (only here)");
            } else if (!a.get(p).equals(b.get(p))) {
                out.add(p);
            }
        }
        return out;
    }
}
