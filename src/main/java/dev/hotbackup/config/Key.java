package dev.hotbackup.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One key of the pack's configuration: its name, how its value is read and checked, its default,
 * and its documentation. Declared once in {@link Keys}; the settings, the check for unknown keys,
 * {@code application.properties} and {@code docs/configuration.md} are all derived from the
 * declarations.
 *
 * @param <T> what the value is read as
 */
public final class Key<T> {

    /** Where a key is documented, in this order. */
    public enum Section {
        IDENTITY("Identity"),
        MODE("Mode"),
        EMITTER("Heartbeat emitter (live host)"),
        LISTENER("Backup listener (backup host)"),
        TAKEOVER("Takeover"),
        ARBITER("Never two actives: arbiter, leases, gateway"),
        GROUP("Groups of up to five members"),
        LINK("Database link: heartbeats through a shared database"),
        SECURITY("Security"),
        STATE("State"),
        MAIL("E-mail"),
        HTTP("Status page, operator API, health and metrics"),
        ROUTES("Routes"),
        CHECKS("Configuration checks");

        public final String title;

        Section(String title) {
            this.title = title;
        }
    }

    /**
     * The part of the pack a key configures. A key set for a part that does not run here does
     * nothing, and the start says so.
     */
    public enum Feature {
        /** Always used. */
        ALWAYS(null),
        EMITTER("no heartbeat is sent from here (hotbackup.backup-location is empty)"),
        LISTENER("no Backup listener runs here (hotbackup.listener.port is empty)"),
        MAIL("mail is off (hotbackup.mail.host is empty)"),
        TLS("TLS is off (hotbackup.tls.enabled=false)"),
        HTTP("the HTTP server is off (hotbackup.http.enabled=false)"),
        ARBITER("no lease is kept here (hotbackup.arbiter=none and no hotbackup.gateway)"),
        JDBC("the arbiter is not jdbc"),
        ZOOKEEPER("the arbiter is not zookeeper"),
        FILE("the arbiter is not file"),
        GATEWAY("no gateway is checked (hotbackup.gateway is empty)"),
        DATABASE_LINK("heartbeats go over TCP (hotbackup.link=tcp)"),
        ROLES("roles are not chosen from the heartbeat table (hotbackup.role is not auto)");

        /** Why a key of this part does nothing when the part is off. */
        public final String whenOff;

        Feature(String whenOff) {
            this.whenOff = whenOff;
        }
    }

    private final String name;
    private final Function<String, T> parser;
    private final String defaultText;
    private final T empty;
    private Section section;
    private Feature feature = Feature.ALWAYS;
    private String doc = "";
    private String defaultDoc;
    private String reference;
    private String example;
    private boolean secret;
    private boolean pattern;

    /**
     * @param defaultText the default as written in a properties file; {@code null} when it is
     *     computed from other keys, empty when the key has no value by default
     * @param empty the value of a key that has no value
     */
    private Key(String name, Function<String, T> parser, String defaultText, T empty) {
        this.name = name;
        this.parser = parser;
        this.defaultText = defaultText;
        this.empty = empty;
    }

    /** Free text; an empty value is the default. */
    public static Key<String> text(String name, String def) {
        return new Key<>(name, s -> s, def, "");
    }

    /** {@code true} or {@code false}, in any case. */
    public static Key<Boolean> flag(String name, boolean def) {
        return new Key<>(
                name,
                s -> {
                    String v = s.toLowerCase(Locale.ROOT);
                    if (v.equals("true") || v.equals("false")) {
                        return Boolean.parseBoolean(v);
                    }
                    throw new IllegalArgumentException("'" + s + "' is not true or false");
                },
                Boolean.toString(def),
                def);
    }

    /**
     * A TCP port, 1 to 65535.
     *
     * @param zero what 0 means for this key, or {@code null} when 0 is not allowed
     */
    public static Key<Integer> port(String name, int def, String zero) {
        return new Key<>(
                name,
                s -> {
                    try {
                        int p = Integer.parseInt(s);
                        if ((p == 0 && zero != null) || (p >= 1 && p <= 65535)) {
                            return p;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    throw new IllegalArgumentException(
                            "'"
                                    + s
                                    + "' is not a port number (1-65535"
                                    + (zero == null ? "" : ", or 0 for " + zero)
                                    + ")");
                },
                def == 0 && zero == null ? "" : Integer.toString(def),
                0);
    }

    /** A whole number at least {@code min}. */
    public static Key<Integer> count(String name, int def, int min) {
        return new Key<>(
                name,
                s -> {
                    try {
                        int n = Integer.parseInt(s);
                        if (n >= min) {
                            return n;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    throw new IllegalArgumentException(
                            "'" + s + "' is not a whole number of " + min + " or more");
                },
                Integer.toString(def),
                def);
    }

    /** A duration such as {@code 100ms}, {@code 2s} or {@code 5m}, between min and max. */
    public static Key<Duration> duration(String name, String def, Duration min, Duration max) {
        return new Key<>(
                name,
                s -> {
                    Duration d = Durations.parse(s);
                    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                        throw new IllegalArgumentException(
                                "'"
                                        + s
                                        + "' is out of range: write a duration from "
                                        + Durations.format(min)
                                        + " to "
                                        + Durations.format(max));
                    }
                    return d;
                },
                def,
                null);
    }

    /** A choice's constant that users often call by another name (a product for a kind). */
    public interface Aliased {
        /** Lower-case names that mean this constant, offered as "did you mean" when refused. */
        List<String> aliases();
    }

    /** One of the constants of {@code type}, written in lower case with dashes. */
    public static <E extends Enum<E>> Key<E> choice(String name, String def, Class<E> type) {
        return new Key<>(
                name,
                s -> {
                    for (E e : type.getEnumConstants()) {
                        if (lower(e).equalsIgnoreCase(s.replace('_', '-'))) {
                            return e;
                        }
                    }
                    List<String> allowed = new ArrayList<>();
                    for (E e : type.getEnumConstants()) {
                        allowed.add(lower(e));
                    }
                    String meant = "";
                    for (E e : type.getEnumConstants()) {
                        if (e instanceof Aliased a
                                && a.aliases().contains(s.toLowerCase(Locale.ROOT))) {
                            meant = "; did you mean " + lower(e) + "?";
                        }
                    }
                    throw new IllegalArgumentException(
                            "'" + s + "' is not one of " + String.join(", ", allowed) + meant);
                },
                def,
                null);
    }

    /** A comma-separated list; each element is read by {@code element}. */
    public static <X> Key<List<X>> list(String name, Function<String, X> element) {
        return new Key<>(
                name,
                s -> {
                    List<X> out = new ArrayList<>();
                    for (String part : s.split(",")) {
                        if (!part.isBlank()) {
                            out.add(element.apply(part.trim()));
                        }
                    }
                    return List.copyOf(out);
                },
                "",
                List.of());
    }

    /**
     * A family of keys that share a prefix, such as {@code
     * hotbackup.takeover.routes.<host>/<config>}: the declared name ends with the placeholder of
     * what follows the prefix.
     */
    public Key<T> pattern() {
        this.pattern = true;
        return this;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---- documentation, set where the key is declared ------------------------------------------

    Key<T> in(Section section) {
        this.section = section;
        return this;
    }

    Key<T> of(Feature feature) {
        this.feature = feature;
        return this;
    }

    Key<T> doc(String doc) {
        this.doc = doc;
        return this;
    }

    /** The default as the documentation says it, when it is not simply the default value. */
    Key<T> defaultDoc(String defaultDoc) {
        this.defaultDoc = defaultDoc;
        return this;
    }

    /** The name of the same setting in the reference documents. */
    Key<T> ref(String reference) {
        this.reference = reference;
        return this;
    }

    Key<T> example(String example) {
        this.example = example;
        return this;
    }

    /** Never shown: not in messages, logs or the status. */
    Key<T> secret() {
        this.secret = true;
        return this;
    }

    // ---- reading --------------------------------------------------------------------------------

    /**
     * The value of {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public T parse(String text) {
        return parser.apply(text);
    }

    /** The default value, or {@code null} when the default is computed from other keys. */
    public T defaultValue() {
        if (defaultText == null) {
            return null;
        }
        return defaultText.isEmpty() ? empty : parser.apply(defaultText);
    }

    public String name() {
        return name;
    }

    /** For a pattern: what every key of the family starts with. */
    public String prefix() {
        int lt = name.indexOf('<');
        return lt < 0 ? name : name.substring(0, lt);
    }

    public boolean isPattern() {
        return pattern;
    }

    /**
     * Whether {@code name} is this key, or a key of this family: each placeholder ({@code <group>})
     * stands for one non-empty dot-separated word, the last one for the whole rest of the name.
     */
    public boolean matches(String name) {
        return pattern ? fill(name) != null && fill(name).equals(name) : this.name.equals(name);
    }

    /**
     * This family's key that {@code name} would be with its placeholders filled from {@code name}
     * (the same word positions), for "did you mean"; {@code null} when {@code name} has too few
     * words.
     */
    public String fill(String name) {
        String[] want = this.name.split("\\.", -1);
        String[] have = name.split("\\.", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < want.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            boolean placeholder = want[i].startsWith("<");
            if (placeholder && i == want.length - 1) {
                if (have.length <= i) {
                    return null;
                }
                String rest = String.join(".", java.util.Arrays.copyOfRange(have, i, have.length));
                if (rest.isEmpty()) {
                    return null;
                }
                out.append(rest);
            } else if (placeholder) {
                if (have.length <= i || have[i].isEmpty()) {
                    return null;
                }
                out.append(have[i]);
            } else {
                out.append(want[i]);
            }
        }
        return out.toString();
    }

    /** The name of the environment variable that sets this key. */
    public String environmentName() {
        return environmentName(name);
    }

    /** Camel's mapping of a key to an environment variable: upper case, dots and dashes to _. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Section section() {
        return section;
    }

    public Feature feature() {
        return feature;
    }

    public String doc() {
        return doc;
    }

    public String reference() {
        return reference;
    }

    public String example() {
        return example;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The default as documented: {@code 60s}, {@code empty}, or the computed default's rule. */
    public String documentedDefault() {
        if (defaultDoc != null) {
            return defaultDoc;
        }
        return defaultText == null || defaultText.isEmpty() ? "empty" : defaultText;
    }

    /** The value a commented line in application.properties shows. */
    public String sampleValue() {
        return defaultText == null ? "" : defaultText;
    }

    @Override
    public String toString() {
        return name;
    }
}
