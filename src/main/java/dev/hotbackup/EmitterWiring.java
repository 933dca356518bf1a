package dev.hotbackup;

import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.BootCounter;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.link.TlsClientInitializer;
import dev.hotbackup.probe.ProbeResponder;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The live host's side: the heartbeat emitter (route {@code heartbeat-emitter}) and the responder
 * that answers the backup's reconfirm probe. The last frame before Camel stops is CLOSE.
 */
final class EmitterWiring {

    private EmitterWiring() {}

    /** The emitter, or {@code null} where no heartbeat is sent. */
    static HeartbeatEmitter wire(
            CamelContext camelContext, HotBackupSettings s, LinkWiring.Link link) throws Exception {
        if (!s.emitterEnabled()) {
            return null;
        }
        long boot = BootCounter.next(s.stateDir);
        AtomicReference<HeartbeatEmitter> self = new AtomicReference<>();
        ProbeResponder responder =
                new ProbeResponder(
                        s.probeBindAddress,
                        s.probePort,
                        s.host,
                        s.config,
                        () -> boot,
                        link.signer(),
                        () -> self.get() != null && self.get().isEmitting(),
                        link.tls());
        String tlsOptions = "";
        if (link.tls() != null) {
            camelContext
                    .getRegistry()
                    .bind("hotbackupTlsClient", new TlsClientInitializer(link.tls()));
            tlsOptions = "&clientInitializerFactory=#hotbackupTlsClient";
        }
        HeartbeatEmitter emitter =
                new HeartbeatEmitter(
                        s.host,
                        s.config,
                        boot,
                        link.codec(),
                        s.backupLocation,
                        Math.max(200, Math.min(2000, s.heartbeatInterval.toMillis() * 10)),
                        tlsOptions,
                        responder::boundPort,
                        camelContext);
        self.set(emitter);
        camelContext.addService(responder);
        camelContext.getRegistry().bind("heartbeatEmitter", emitter);
        long closeWait = closeWaitMillis(s);
        camelContext.addLifecycleStrategy(
                new LifecycleStrategySupport() {
                    @Override
                    public void onContextStopping(CamelContext context) {
                        emitter.closeAndWait(closeWait);
                    }
                });
        return emitter;
    }

    /** How long a stopping emitter waits for its CLOSE frame to be written. */
    static long closeWaitMillis(HotBackupSettings s) {
        return Math.max(1000, Math.min(5000, s.heartbeatInterval.toMillis() * 3));
    }
}
