package dev.hotbackup.mail;

import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mail about an event that is not a signal (a fence, a configuration drift), queued for the route
 * {@code signal-mail} with the headers of a signal, so that it uses the same templates, recipients
 * and dead-letter file. Never throws: a mail that cannot be queued is logged.
 */
public final class EventMail {

    private static final Logger LOG = LoggerFactory.getLogger(EventMail.class);

    private final CamelContext camelContext;
    private volatile ProducerTemplate template;

    public EventMail(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Queues the mail when Camel runs. */
    public void send(
            String host,
            String config,
            String state,
            String detail,
            String action,
            List<String> outcomes) {
        if (!camelContext.isStarted()) {
            return;
        }
        try {
            ProducerTemplate t = template;
            if (t == null) {
                t = camelContext.createProducerTemplate();
                template = t;
            }
            Map<String, Object> h = new HashMap<>();
            h.put(Headers.HOST, host);
            h.put(Headers.CONFIG, config);
            h.put(Headers.STATE, state);
            h.put(Headers.TIME, Instant.now().toString());
            h.put(Headers.DETAIL, detail);
            h.put(Headers.ACTION, action);
            h.put(Headers.OUTCOMES, outcomes);
            t.asyncRequestBodyAndHeaders(Endpoints.MAIL_QUEUE, "", h);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Cannot queue the mail about {} of {}/{}: {}",
                    state,
                    host,
                    config,
                    e.getMessage());
        }
    }
}
