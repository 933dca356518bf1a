package dev.hotbackup.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the two documents of the configuration from the declarations in {@link Keys}: the
 * commented {@code application.properties} and {@code docs/configuration.md}. A test checks that
 * the committed files are what this class writes; {@code main} rewrites them.
 */
public final class ConfigDocs {

    private static final int WIDTH = 100;

    private ConfigDocs() {}

    /** Rewrites {@code application.properties} and {@code docs/configuration.md} in {@code dir}. */
    public static void main(String... args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(
                dir.resolve("application.properties"), properties(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("docs/configuration.md"), markdown(), StandardCharsets.UTF_8);
    }

    /** {@code application.properties}: every key, commented out with its default. */
    public static String properties() {
        StringBuilder out = new StringBuilder();
        comment(
                out,
                "camel-hot-backup configuration: every key of the pack, its meaning and its"
                        + " default. Uncomment and set the ones you need; the rest keep their"
                        + " defaults. Every key can also be set by -Dkey=value or by an environment"
                        + " variable (HOTBACKUP_LISTENER_PORT for hotbackup.listener.port); an"
                        + " environment variable wins over -D, which wins over this file."
                        + " Durations are written 100ms, 2s, 60s, 5m or 1h; anything else is"
                        + " refused. A key under hotbackup. that the pack does not know refuses"
                        + " the start, naming the closest key. Names from the reference"
                        + " documents are in brackets.");
        comment(
                out,
                "Generated from src/main/java/dev/hotbackup/config/Keys.java; docs/configuration.md"
                        + " has the same keys as tables.");
        Key.Section section = null;
        for (Key<?> k : Keys.ALL) {
            if (k.section() != section) {
                section = k.section();
                String title = "# ---- " + section.title + " ";
                out.append('\n')
                        .append(title)
                        .append("-".repeat(WIDTH - title.length()))
                        .append('\n');
            }
            comment(out, text(k));
            if (k.isPattern()) {
                out.append('#').append(k.example() == null ? k.name() + "=" : k.example());
            } else {
                out.append('#').append(k.name()).append('=').append(k.sampleValue());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code docs/configuration.md}: every key in a table per section. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append(
                wrap(
                        "Every key of camel-hot-backup. This page and the commented"
                                + " `application.properties` are generated from the declarations"
                                + " in `src/main/java/dev/hotbackup/config/Keys.java` (a test"
                                + " fails when they differ; `ConfigDocsTest` says how to"
                                + " regenerate them). Each key can be set in"
                                + " `application.properties` in the working directory, by"
                                + " `-Dkey=value`, or by an environment variable"
                                + " (`hotbackup.listener.port` -> `HOTBACKUP_LISTENER_PORT`); an"
                                + " environment variable wins over `-D`, which wins over the file.",
                        ""));
        out.append('\n');
        out.append(
                wrap(
                        "Durations are written `100ms`, `2s`, `60s`, `5m`, `1h` (or several parts,"
                                + " `1m30s`); anything else is refused. A bad value, a key the pack"
                                + " does not know (with the closest known key), or a combination"
                                + " that cannot work stops the start with one line per problem on"
                                + " stderr and exit code 2. A key that does nothing on this"
                                + " instance (a listener key where no listener runs) is named in a"
                                + " warning at start.",
                        ""));
        Key.Section section = null;
        for (Key<?> k : Keys.ALL) {
            if (k.section() != section) {
                section = k.section();
                out.append("\n## ").append(section.title).append("\n\n");
                out.append("| key | default | meaning |\n|---|---|---|\n");
            }
            out.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(cell(k.documentedDefault()))
                    .append(" | ")
                    .append(cell(k.doc()))
                    .append(k.reference() == null ? "" : " [" + cell(k.reference()) + "]")
                    .append(k.example() == null ? "" : " Example: `" + k.example() + "`")
                    .append(" |\n");
        }
        out.append("\n## Camel\n\n");
        out.append(
                wrap(
                        "The pack sets the Camel keys it relies on in"
                                + " `classpath:hotbackup/camel.properties` inside the jar, read"
                                + " after your `application.properties`, which may override them:"
                                + " `camel.main.routes-include-pattern` (your routes: every"
                                + " `*.yaml` (such as `*.camel.yaml`) and `*.xml` in `routes/`; the pack's own routes"
                                + " are loaded from the jar whatever it says),"
                                + " `camel.main.shutdown-timeout=10`, and the embedded HTTP servers"
                                + " from the `hotbackup.http.*` keys: `camel.server.*` (status page"
                                + " and operator API) and `camel.management.*` (`/observe/health`,"
                                + " `/observe/metrics`). Camel's own per-exchange metrics are off:"
                                + " at thousands of heartbeats a second they cost more CPU than the"
                                + " listener. Any other `camel.*` key works as in any camel-main"
                                + " application.",
                        ""));
        return out.toString();
    }

    private static String text(Key<?> k) {
        String def = k.documentedDefault();
        String text = k.doc() + " Default: " + def + (def.endsWith(".") ? "" : ".");
        if (k.reference() != null) {
            text += " [" + k.reference() + "]";
        }
        return text;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static void comment(StringBuilder out, String text) {
        out.append(wrap(text, "# "));
    }

    /** {@code text} in lines of at most {@link #WIDTH} characters, each starting with prefix. */
    static String wrap(String text, String prefix) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(prefix);
            }
            if (line.length() > prefix.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return String.join("\n", lines) + "\n";
    }
}
