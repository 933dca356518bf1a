package dev.hotbackup.takeover;

import dev.hotbackup.routes.Headers;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web NMS's pre- and post-failover notifications, for the user's own routes ({@code
 * hotbackup.takeover.notify-to}): {@code PRE} once a takeover is decided, before its routes start,
 * and {@code POST} once the signal router has started them, saying whether all of them run. Each is
 * a copy of the signal (the XML, the HotBackup* headers, {@link #HEADER} and the route ids), sent
 * one-way and in order from the signal router; what the user's route does with it, or a failure in
 * it, never changes the takeover.
 */
public final class FailoverNotices extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverNotices.class);

    /** {@code PRE} or {@code POST}. */
    public static final String HEADER = "HotBackupFailover";

    /** On POST: whether every takeover route runs. */
    public static final String COMPLETE = "HotBackupFailoverComplete";

    private final String uri;
    private final CamelContext camelContext;
    private ProducerTemplate template;

    /**
     * @param uri the user's endpoint, or empty for none
     */
    public FailoverNotices(String uri, CamelContext camelContext) {
        this.uri = uri;
        this.camelContext = camelContext;
    }

    /** Before the takeover routes start. */
    public void pre(Exchange exchange) {
        if (due(exchange)) {
            send(exchange, "PRE", null);
        }
    }

    /** After the signal router started them. */
    public void post(Exchange exchange) {
        if (due(exchange)) {
            boolean all = true;
            for (Object id : exchange.getIn().getHeader(Headers.ROUTES, List.class)) {
                ServiceStatus s =
                        camelContext.getRouteController().getRouteStatus(String.valueOf(id));
                all &= s != null && s.isStarted();
            }
            send(exchange, "POST", all);
        }
    }

    private boolean due(Exchange exchange) {
        List<?> routes = exchange.getIn().getHeader(Headers.ROUTES, List.class);
        return !uri.isEmpty()
                && TakeoverPlan.TAKEOVER.equals(exchange.getIn().getHeader(Headers.ACTION))
                && routes != null
                && !routes.isEmpty();
    }

    private void send(Exchange exchange, String phase, Boolean complete) {
        Exchange copy = ExchangeHelper.createCopy(exchange, true);
        copy.setPattern(ExchangePattern.InOnly);
        Object signal = exchange.getProperty(Headers.SIGNAL);
        if (signal != null) {
            copy.getIn().setBody(signal);
        }
        copy.getIn().setHeader(HEADER, phase);
        if (complete != null) {
            copy.getIn().setHeader(COMPLETE, complete);
        }
        try {
            Exchange done = template.send(uri, copy);
            if (done.getException() != null) {
                throw done.getException();
            }
        } catch (Exception e) {
            LOG.warn(
                    "The {} failover notice for {}/{} to {} failed: {}; the takeover goes on",
                    phase,
                    exchange.getIn().getHeader(Headers.HOST),
                    exchange.getIn().getHeader(Headers.CONFIG),
                    uri,
                    e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        template = camelContext.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
    }
}
