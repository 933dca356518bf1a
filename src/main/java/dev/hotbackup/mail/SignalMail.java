package dev.hotbackup.mail;

import dev.hotbackup.routes.Headers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes the e-mail for a signal from the subject and body templates of its state ({@code
 * hotbackup.mail.subject[.state]}, {@code hotbackup.mail.body[.state]}), and sends it to the host's
 * own recipients when it has some ({@code hotbackup.mail.to.<host>/<config>}). Control characters
 * are removed from the subject so that no announced name can add mail headers.
 */
public final class SignalMail {

    private final String reporter;
    private final Map<String, String> subjects;
    private final Map<String, String> bodies;
    private final Map<String, String> recipients;

    /**
     * @param reporter this instance's name, written in the body as the sender of the report
     * @param subjects subject template by state
     * @param bodies body template by state
     * @param recipients comma-separated recipients by {@code host/config}, for hosts that have
     *     their own
     */
    public SignalMail(
            String reporter,
            Map<String, String> subjects,
            Map<String, String> bodies,
            Map<String, String> recipients) {
        this.reporter = reporter;
        this.subjects = Map.copyOf(subjects);
        this.bodies = Map.copyOf(bodies);
        this.recipients = Map.copyOf(recipients);
    }

    /** With the default templates and recipients. */
    public SignalMail(String reporter) {
        this(reporter, Map.of(), Map.of(), Map.of());
    }

    /** Sets the {@code Subject} header, the text body and, if the host has its own, {@code To}. */
    public void prepare(Exchange exchange) {
        Message in = exchange.getIn();
        String host = in.getHeader(Headers.HOST, String.class);
        String config = in.getHeader(Headers.CONFIG, String.class);
        String state = in.getHeader(Headers.STATE, String.class);
        List<?> outcomes = in.getHeader(Headers.OUTCOMES, List.class);
        List<?> routes = in.getHeader(Headers.ROUTES, List.class);
        Map<String, String> fields = new HashMap<>();
        fields.put("host", host);
        fields.put("config", config);
        fields.put("state", state);
        fields.put("time", in.getHeader(Headers.TIME, String.class));
        fields.put("why", in.getHeader(Headers.DETAIL, String.class));
        fields.put("action", in.getHeader(Headers.ACTION, String.class));
        fields.put(
                "routes",
                routes == null || routes.isEmpty()
                        ? "none"
                        : String.join(", ", routes.stream().map(String::valueOf).toList()));
        fields.put(
                "outcome",
                outcomes == null || outcomes.isEmpty()
                        ? "none"
                        : String.join(
                                "\n             ",
                                outcomes.stream().map(String::valueOf).toList()));
        fields.put("reporter", reporter);
        String operator = in.getHeader(Headers.OPERATOR, String.class);
        fields.put("operator", operator == null ? "" : operator);
        // kept as properties: the headers are removed before sending so none becomes a mail header
        exchange.setProperty(Headers.HOST, host);
        exchange.setProperty(Headers.CONFIG, config);
        exchange.setProperty(Headers.STATE, state);
        in.setHeader(
                "Subject",
                oneLine(
                        MailTemplate.fill(
                                subjects.getOrDefault(state, MailTemplate.SUBJECT), fields)));
        in.setBody(MailTemplate.fill(bodies.getOrDefault(state, MailTemplate.BODY), fields));
        String to = recipients.get(host + "/" + config);
        if (to != null && !to.isBlank()) {
            in.setHeader("To", to);
        }
    }

    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
