package dev.hotbackup.operate;

import dev.hotbackup.arbiter.LeaseKeeper;
import dev.hotbackup.arbiter.LeaseState;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.takeover.TakeoverPlan;
import java.lang.management.ManagementFactory;
import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.util.List;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers {@link HotBackupMXBean} on the platform MBean server while Camel runs. */
public final class JmxControl extends ServiceSupport implements HotBackupMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(JmxControl.class);

    /** The MBean's name. */
    public static final String NAME = "dev.hotbackup:type=HotBackup";

    private final HotBackupStatus status;
    private final Operator operator;
    private ObjectName name;

    /**
     * @param operator the operator's actions, or {@code null} when this instance runs no listener
     */
    public JmxControl(HotBackupStatus status, Operator operator) {
        this.status = status;
        this.operator = operator;
    }

    @Override
    public String getHost() {
        return status.settings().host;
    }

    @Override
    public String getConfig() {
        return status.settings().config;
    }

    @Override
    public String getRole() {
        return status.role();
    }

    @Override
    public String getArbiterRole() {
        return status.arbiterRole();
    }

    @Override
    public String[] getLeases() {
        LeaseKeeper k = status.leases();
        if (k == null) {
            return new String[0];
        }
        return k.views().stream()
                .map(
                        v ->
                                v.key()
                                        + " "
                                        + v.state()
                                        + (v.epoch() < 0 ? "" : " epoch " + v.epoch())
                                        + (v.state() == LeaseState.HELD
                                                ? " (valid "
                                                        + (v.validForMillis() < 0
                                                                ? "while the gateway answers"
                                                                : v.validForMillis() + " ms")
                                                        + ")"
                                                : ": " + v.why()))
                .toArray(String[]::new);
    }

    @Override
    public String[] getLeaseTable() {
        LeaseKeeper k = status.leases();
        if (k == null) {
            return new String[0];
        }
        return k.table().stream()
                .map(
                        r ->
                                r.key()
                                        + " "
                                        + (r.held()
                                                ? r.describe()
                                                : "free, last epoch " + r.epoch()))
                .toArray(String[]::new);
    }

    @Override
    public String getTakeoverMode() {
        return status.settings().takeoverMode.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String[] getMonitors() {
        MonitorRegistry m = status.monitors();
        if (m == null) {
            return new String[0];
        }
        return m.views().stream().map(v -> v.key() + " " + v.summary()).toArray(String[]::new);
    }

    @Override
    public String[] getTakenOver() {
        TakeoverPlan p = status.plan();
        return p == null
                ? new String[0]
                : p.takenOver().stream().map(Object::toString).sorted().toArray(String[]::new);
    }

    @Override
    public long getFramesAccepted() {
        return status.monitors() == null ? 0 : status.monitors().accepted();
    }

    @Override
    public long getFramesRejected() {
        return status.rejectedTotal();
    }

    @Override
    public String getStatusJson() {
        return status.json();
    }

    @Override
    public String[] takeover(String host, String config) {
        return act(TakeoverPlan.TAKEOVER, host, config, false);
    }

    @Override
    public String[] forceTakeover(String host, String config) {
        return act(TakeoverPlan.TAKEOVER, host, config, true);
    }

    @Override
    public String[] release(String host, String config) {
        return act(TakeoverPlan.RELEASE, host, config, false);
    }

    @Override
    public String moveWork(String member, String to) {
        return group().move(member, to, who());
    }

    @Override
    public String moveMaster(String to) {
        return group().move(null, to, who());
    }

    @Override
    public String[] getProcessingMap() {
        GroupMember g = status.group();
        if (g == null) {
            return new String[0];
        }
        return g.view().map().stream()
                .map(
                        u ->
                                u.id()
                                        + " on "
                                        + (u.runsOn() == null ? "nobody" : u.runsOn())
                                        + (u.epoch() < 0 ? "" : " (epoch " + u.epoch() + ")")
                                        + (u.movedTo() == null ? "" : ", moved to " + u.movedTo()))
                .toArray(String[]::new);
    }

    private GroupMember group() {
        GroupMember g = status.group();
        if (g == null) {
            throw new IllegalStateException("this instance is in no group");
        }
        return g;
    }

    private String[] act(String action, String host, String config, boolean force) {
        if (operator == null) {
            throw new IllegalStateException("this instance runs no Backup listener");
        }
        List<String> outcomes = operator.act(action, host, config, who(), force);
        return outcomes.toArray(String[]::new);
    }

    /** {@code jmx}, the remote client's address when the call came over RMI. */
    static String who() {
        try {
            return "jmx " + RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            return "jmx local";
        }
    }

    @Override
    protected void doStart() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        name = new ObjectName(NAME);
        if (server.isRegistered(name)) {
            // another Camel context in this JVM (tests): the newest one answers
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
        LOG.debug("JMX: {}", NAME);
    }

    @Override
    protected void doStop() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (name != null && server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
