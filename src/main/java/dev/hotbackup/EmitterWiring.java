package dev.hotbackup;

import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.emitter.BootCounter;
import dev.hotbackup.emitter.HeartbeatComponent;
import dev.hotbackup.emitter.HeartbeatEmitter;
import dev.hotbackup.probe.ProbeResponder;
import java.util.Map;
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
        // the emitter route's clock; where no emitter is bound, a route using it says so
        camelContext.addComponent(HeartbeatComponent.NAME, new HeartbeatComponent());
        if (!s.emitterEnabled()) {
            return null;
        }
        long boot = BootCounter.next(s.stateDir);
        if (link.table() != null) {
            // over the database link: the table is the one target, and no probe is answered
            HeartbeatEmitter emitter =
                    new HeartbeatEmitter(
                            s.host,
                            s.config,
                            boot,
                            link.codec(),
                            Map.of(
                                    link.table().describe(),
                                    "bean:" + LinkWiring.TABLE_BEAN + "?method=write"),
                            () -> 0,
                            camelContext);
            return bind(camelContext, s, emitter);
        }
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
        HeartbeatEmitter emitter =
                new HeartbeatEmitter(
                        s.host,
                        s.config,
                        boot,
                        link.codec(),
                        s.backupLocation,
                        Math.max(200, Math.min(2000, s.heartbeatInterval.toMillis() * 10)),
                        link.tls(),
                        responder::boundPort,
                        camelContext);
        self.set(emitter);
        camelContext.addService(responder);
        return bind(camelContext, s, emitter);
    }

    /** Binds the emitter for its route, and has it send CLOSE before Camel stops. */
    private static HeartbeatEmitter bind(
            CamelContext camelContext, HotBackupSettings s, HeartbeatEmitter emitter)
            throws Exception {
        camelContext.getRegistry().bind("heartbeatEmitter", emitter);
        // its connections and their thread close when Camel stops, after the CLOSE frame
        camelContext.addService(emitter.connections());
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
        return Math.max(1000, Math.min(5000, s.effectiveHeartbeatInterval().toMillis() * 3));
    }
}
