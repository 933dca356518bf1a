package dev.hotbackup.signal;

import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

/**
 * Hands signals to the signal router's queue. Called by the monitor while it holds the lock of the
 * (host, config) that changed, so that signals of one monitor reach the queue in the order of the
 * changes. The queue blocks rather than drop when full.
 */
public final class SignalPublisher {

    private final ProducerTemplate template;
    private final SignalXml.Whitespace whitespace;
    private final Function<String, String> groupOf;
    // resolved on the first signal: looking the URI up normalises it, which is not for every one
    // (a tenth of a lane's time while 10,000 hosts became LIVE at once)
    private volatile Endpoint signals;

    public SignalPublisher(ProducerTemplate template, SignalXml.Whitespace whitespace) {
        this(template, whitespace, host -> null);
    }

    /**
     * @param groupOf the group a host is a member of (with this instance), or {@code null}
     */
    public SignalPublisher(
            ProducerTemplate template,
            SignalXml.Whitespace whitespace,
            Function<String, String> groupOf) {
        this.template = template;
        this.whitespace = whitespace;
        this.groupOf = groupOf;
    }

    public void publish(Signal signal) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Headers.HOST, signal.host());
        headers.put(Headers.CONFIG, signal.config());
        headers.put(Headers.STATE, signal.state().name());
        headers.put(Headers.TIME, signal.time().toString());
        headers.put(Headers.DETAIL, signal.detail());
        String group = groupOf.apply(signal.host());
        if (group != null) {
            headers.put(Headers.GROUP, group);
        }
        String xml =
                SignalXml.render(
                        signal.host(), signal.config(), group, signal.state().name(), whitespace);
        Endpoint to = signals;
        if (to == null) {
            to = template.getCamelContext().getEndpoint(Endpoints.SIGNALS);
            signals = to;
        }
        template.sendBodyAndHeaders(to, xml, headers);
    }
}
