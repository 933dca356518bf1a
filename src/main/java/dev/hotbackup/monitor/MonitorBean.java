package dev.hotbackup.monitor;

import dev.hotbackup.link.Decoded;
import dev.hotbackup.link.HeartbeatCodec;
import dev.hotbackup.link.Rejections;
import dev.hotbackup.probe.ProbeResult;
import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor as the Backup listener sees it (bound as {@code monitors}): {@link #line} for each
 * line the listener's queue hands over (no exchange per frame), {@link #silent} and {@link
 * #probeResult} around the reconfirm probe, the only part of it that touches an {@link Exchange}.
 * It also hands hosts to the reconfirm route when their connection closes.
 */
public final class MonitorBean extends ServiceSupport implements Reconfirm.Sender {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorBean.class);

    /** The {@link Headers#CAUSE} of a probe asked for because a connection closed. */
    static final String DISCONNECT = "disconnect";

    private final FrameIntake intake;
    private final Reconfirm reconfirm;
    private final Rejections rejections;
    private final HeartbeatCodec codec;
    private final CamelContext camelContext;
    private AsyncProducer producer;

    MonitorBean(
            FrameIntake intake,
            Reconfirm reconfirm,
            Rejections rejections,
            HeartbeatCodec codec,
            CamelContext camelContext) {
        this.intake = intake;
        this.reconfirm = reconfirm;
        this.rejections = rejections;
        this.codec = codec;
        this.camelContext = camelContext;
    }

    /**
     * One line from the Backup listener's queue (on its intake thread): a refused one is counted
     * (with the likely cause when its signature fails), an accepted frame goes to the intake.
     *
     * @param source the connection it came on ({@code /ip:port})
     * @param address the sender's IP address, where its probe goes
     */
    public void line(String line, String source, String address) {
        Decoded decoded = codec.decode(line);
        if (decoded.isAccepted()) {
            intake.accept(decoded.frame(), source, address);
        } else if (decoded.reason().isSignature()) {
            rejections.rejectSignature(
                    decoded.reason(), decoded.detail(), source, decoded.claimed());
        } else {
            rejections.reject(decoded.reason(), decoded.detail(), source);
        }
    }

    /**
     * A host reported silent, by the silence timer or because its connection closed: sets the
     * probe's target headers when a probe is due, nothing otherwise.
     */
    public void silent(Exchange exchange) {
        Reconfirm.Target t =
                reconfirm.start(
                        exchange.getIn().getHeader(Headers.KEY, String.class),
                        cause(exchange),
                        exchange.getIn().getHeader(Headers.CONNECTION, String.class));
        if (t != null) {
            exchange.getIn().setHeader(Headers.HOST, t.host());
            exchange.getIn().setHeader(Headers.CONFIG, t.config());
            exchange.getIn().setHeader(Headers.PROBE_ADDRESS, t.address());
            exchange.getIn().setHeader(Headers.PROBE_PORT, t.port());
        }
    }

    /** The reconfirm probe's result. */
    public void probeResult(Exchange exchange) {
        reconfirm.result(
                exchange.getIn().getHeader(Headers.KEY, String.class),
                cause(exchange),
                exchange.getIn().getHeader(Headers.PROBE_RESULT, ProbeResult.class));
    }

    @Override
    public void reconfirm(String id, Verdict.Cause cause, String connection) {
        AsyncProducer p = producer;
        if (p == null) {
            return;
        }
        Exchange exchange = p.getEndpoint().createExchange();
        exchange.getIn().setHeader(Headers.KEY, id);
        exchange.getIn()
                .setHeader(
                        Headers.CAUSE, cause == Verdict.Cause.DISCONNECT ? DISCONNECT : "silence");
        if (connection != null) {
            exchange.getIn().setHeader(Headers.CONNECTION, connection);
        }
        p.process(
                exchange,
                doneSync -> {
                    if (exchange.getException() != null) {
                        LOG.warn(
                                "Reconfirm of {} failed: {}",
                                id,
                                exchange.getException().getMessage());
                    }
                });
    }

    private static Verdict.Cause cause(Exchange exchange) {
        return DISCONNECT.equals(exchange.getIn().getHeader(Headers.CAUSE, String.class))
                ? Verdict.Cause.DISCONNECT
                : Verdict.Cause.SILENCE;
    }

    @Override
    protected void doStart() throws Exception {
        producer = camelContext.getEndpoint(Endpoints.RECONFIRM).createAsyncProducer();
        producer.start();
        reconfirm.sender(this);
    }

    @Override
    protected void doStop() throws Exception {
        reconfirm.sender(null);
        if (producer != null) {
            producer.stop();
            producer = null;
        }
    }
}
