package dev.hotbackup.mail;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mail subject or body with the signal's fields written {@code ${name}}: {@code host}, {@code
 * config}, {@code state}, {@code time}, {@code why}, {@code action}, {@code routes} (the route ids
 * acted on), {@code outcome} (each route's outcome, one per line), {@code reporter} (this instance)
 * and {@code operator} (who forced the action, or empty). Values are inserted as they are, never
 * evaluated, so no announced host name can run an expression.
 */
public final class MailTemplate {

    /** The subject when {@code hotbackup.mail.subject} is not set. */
    public static final String SUBJECT = "[hotbackup] ${host}/${config} is ${state}";

    /** The body when {@code hotbackup.mail.body} is not set. */
    public static final String BODY =
            "${host}/${config} is ${state}.\n\n"
                    + "Host:        ${host}\n"
                    + "Config:      ${config}\n"
                    + "State:       ${state}\n"
                    + "Time:        ${time}\n"
                    + "Why:         ${why}\n"
                    + "Action:      ${action}\n"
                    + "Routes:      ${outcome}\n"
                    + "Reported by: ${reporter}\n";

    /** The field names a template may use. */
    public static final List<String> FIELDS =
            List.of(
                    "host",
                    "config",
                    "state",
                    "time",
                    "why",
                    "action",
                    "routes",
                    "outcome",
                    "reporter",
                    "operator");

    private static final Pattern FIELD = Pattern.compile("\\$\\{([^}]*)}");

    private MailTemplate() {}

    /** What is wrong with a template, or {@code null}: every field it names must exist. */
    public static String problem(String template) {
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            if (!FIELDS.contains(m.group(1))) {
                return "'${"
                        + m.group(1)
                        + "}' is not a field of a signal; use "
                        + FIELDS.stream().map(f -> "${" + f + "}").toList();
            }
        }
        return null;
    }

    /** The template with each field replaced by its value (empty when missing). */
    public static String fill(String template, Map<String, String> fields) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = fields.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
