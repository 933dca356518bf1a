package dev.hotbackup.signal;

/**
 * Renders a signal as {@code <signal host='h' config='c'>STATE</signal>}. Attribute values are
 * escaped so that any name the listener accepts yields well-formed XML whose parsed values equal
 * the announced names.
 */
public final class SignalXml {

    /** How whitespace inside names is written ({@code hotbackup.listener.whitespace}). */
    public enum Whitespace {
        /**
         * Keep every whitespace character; tab, newline and carriage return are written as
         * character references so an XML parser does not normalise them to spaces.
         */
        PRESERVE,
        /** Collapse runs of whitespace to one space and trim both ends. */
        CONDENSE;
    }

    private SignalXml() {}

    public static String render(
            String host, String config, SignalState state, Whitespace whitespace) {
        return render(host, config, state.name(), whitespace);
    }

    /** The same form for any state name, such as {@code WAITING} in an operator's request. */
    public static String render(String host, String config, String state, Whitespace whitespace) {
        return render(host, config, null, state, whitespace);
    }

    /**
     * With the group of a member's host as a third attribute: {@code <signal host='hostB'
     * config='base' group='hub'>DEAD</signal>}; {@code group} null leaves it out.
     */
    public static String render(
            String host, String config, String group, String state, Whitespace whitespace) {
        return "<signal host='"
                + attribute(host, whitespace)
                + "' config='"
                + attribute(config, whitespace)
                + (group == null ? "" : "' group='" + attribute(group, whitespace))
                + "'>"
                + state
                + "</signal>";
    }

    static String attribute(String value, Whitespace whitespace) {
        String v = whitespace == Whitespace.CONDENSE ? condense(value) : value;
        StringBuilder out = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                case '\t' -> out.append("&#9;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String condense(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
