package dev.hotbackup.signal;

import dev.hotbackup.Headers;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes the e-mail for a signal: a subject naming the pair and its state, a plain-text body with
 * host, config, state, time, why, and the routes touched with their outcomes. Control characters
 * are removed from the subject so that no announced name can add mail headers.
 */
public final class SignalMail {

    private final String reporter;

    /**
     * @param reporter this instance's name, written in the body as the sender of the report
     */
    public SignalMail(String reporter) {
        this.reporter = reporter;
    }

    /** Sets the {@code Subject} header and the text body from the signal's headers. */
    public void prepare(Exchange exchange) {
        Message in = exchange.getIn();
        String host = in.getHeader(Headers.HOST, String.class);
        String config = in.getHeader(Headers.CONFIG, String.class);
        String state = in.getHeader(Headers.STATE, String.class);
        List<?> outcomes = in.getHeader(Headers.OUTCOMES, List.class);
        String routes =
                outcomes == null || outcomes.isEmpty()
                        ? "none"
                        : String.join(
                                "\n             ", outcomes.stream().map(String::valueOf).toList());
        // kept as properties: the headers are removed before sending so none becomes a mail header
        exchange.setProperty(Headers.HOST, host);
        exchange.setProperty(Headers.CONFIG, config);
        exchange.setProperty(Headers.STATE, state);
        in.setHeader("Subject", oneLine("[hotbackup] " + host + "/" + config + " is " + state));
        in.setBody(
                host
                        + "/"
                        + config
                        + " is "
                        + state
                        + ".\n\n"
                        + "Host:        "
                        + host
                        + "\nConfig:      "
                        + config
                        + "\nState:       "
                        + state
                        + "\nTime:        "
                        + in.getHeader(Headers.TIME, String.class)
                        + "\nWhy:         "
                        + in.getHeader(Headers.DETAIL, String.class)
                        + "\nAction:      "
                        + in.getHeader(Headers.ACTION, String.class)
                        + "\nRoutes:      "
                        + routes
                        + "\nReported by: "
                        + reporter
                        + "\n");
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
