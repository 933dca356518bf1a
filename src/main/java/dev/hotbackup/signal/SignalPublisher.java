package dev.hotbackup.signal;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/**
 * Hands signals to the signal router's queue. Called by the monitor while it holds the lock of the
 * (host, config) that changed, so that signals of one monitor reach the queue in the order of the
 * changes. The queue blocks rather than drop when full.
 */
public final class SignalPublisher {

    /** The signal router's input: ordered, in memory, blocks when full instead of dropping. */
    public static final String ENDPOINT = "seda:hotbackup-signals?size=100000&blockWhenFull=true";

    /** Header names set on every signal message. */
    public static final String HOST = "HotBackupHost";

    public static final String CONFIG = "HotBackupConfig";
    public static final String STATE = "HotBackupState";
    public static final String TIME = "HotBackupTime";
    public static final String DETAIL = "HotBackupDetail";

    private final ProducerTemplate template;
    private final SignalXml.Whitespace whitespace;

    public SignalPublisher(ProducerTemplate template, SignalXml.Whitespace whitespace) {
        this.template = template;
        this.whitespace = whitespace;
    }

    public void publish(Signal signal) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(HOST, signal.host());
        headers.put(CONFIG, signal.config());
        headers.put(STATE, signal.state().name());
        headers.put(TIME, signal.time().toString());
        headers.put(DETAIL, signal.detail());
        String xml = SignalXml.render(signal.host(), signal.config(), signal.state(), whitespace);
        template.sendBodyAndHeaders(ENDPOINT, xml, headers);
    }
}
