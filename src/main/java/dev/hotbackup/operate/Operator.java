package dev.hotbackup.operate;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.activity.Json;
import dev.hotbackup.group.GroupMember;
import dev.hotbackup.monitor.MonitorKey;
import dev.hotbackup.monitor.MonitorRegistry;
import dev.hotbackup.monitor.MonitorState;
import dev.hotbackup.routes.Endpoints;
import dev.hotbackup.routes.Headers;
import dev.hotbackup.signal.SignalXml;
import dev.hotbackup.takeover.TakeoverPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's takeover or release of one monitored host, by HTTP ({@code POST
 * /hotbackup/monitors/{host}/{config}/takeover|release} with {@code Authorization: Bearer <token>})
 * or JMX. The request goes through the signal router like a signal, so it is ordered with the
 * signals, recorded in the activity log with who asked and from where, mailed, and its outcome per
 * route is returned. A forced takeover works in both takeover modes; a forced release stops the
 * host's routes whatever its state and failback delay.
 */
public final class Operator extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Operator.class);

    /** The remote address header of camel-platform-http-vertx. */
    static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final MonitorRegistry monitors;
    private final TakeoverPlan plan;
    private final ActivityLog activity;
    private final CamelContext camelContext;
    private final byte[] token;
    private final SignalXml.Whitespace whitespace;
    private ProducerTemplate template;
    private volatile GroupMember group;

    /** This instance's group member, for moves in the processing map. */
    public void group(GroupMember group) {
        this.group = group;
    }

    /**
     * @param token {@code hotbackup.http.token}; empty turns the HTTP actions off (JMX still works:
     *     it has its own access control)
     */
    public Operator(
            MonitorRegistry monitors,
            TakeoverPlan plan,
            ActivityLog activity,
            CamelContext camelContext,
            String token,
            SignalXml.Whitespace whitespace) {
        this.monitors = monitors;
        this.plan = plan;
        this.activity = activity;
        this.camelContext = camelContext;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.whitespace = whitespace;
    }

    /**
     * Takes over or releases one host and waits for the signal router's outcome.
     *
     * @param action {@code takeover} or {@code release}
     * @param who who asked, and from where, for the activity log and the mail
     * @param force take over a host that is LIVE (its routes then run twice)
     * @return each route's outcome
     * @throws IllegalArgumentException for an unknown action or monitored host
     * @throws Refused for a takeover of a LIVE host that is not forced
     */
    public List<String> act(String action, String host, String config, String who, boolean force) {
        if (!TakeoverPlan.TAKEOVER.equals(action) && !TakeoverPlan.RELEASE.equals(action)) {
            throw new IllegalArgumentException(
                    "unknown action '" + action + "': use takeover or release");
        }
        if (host == null || host.isBlank() || config == null || config.isBlank()) {
            throw new IllegalArgumentException("name the host: host and config");
        }
        MonitorKey key = new MonitorKey(host, config);
        if (plan.inGroup(host)) {
            throw new Refused(
                    host
                            + " is a member of group "
                            + group.spec().name()
                            + ": move its work in the processing map instead (POST"
                            + " /hotbackup/groups/"
                            + group.spec().name()
                            + "/move?work="
                            + host
                            + "&to=<member>)");
        }
        MonitorState state = monitors.stateOf(host, config);
        if (state == null) {
            List<String> known = monitors.views().stream().map(v -> v.key().toString()).toList();
            throw new IllegalArgumentException(
                    "no monitored host " + key + "; this listener knows " + known);
        }
        boolean forced = TakeoverPlan.TAKEOVER.equals(action) && state == MonitorState.LIVE;
        if (forced && !force) {
            throw new Refused(
                    key
                            + " is LIVE: its routes run there, and taking over would run them twice;"
                            + " to do it anyway, ask again with force (HTTP: ?force=true, JMX:"
                            + " forceTakeover)");
        }
        String by = forced ? who + " (forced: " + key + " was LIVE)" : who;
        Map<String, Object> headers = new HashMap<>();
        headers.put(Headers.HOST, host);
        headers.put(Headers.CONFIG, config);
        headers.put(Headers.STATE, state.name());
        headers.put(Headers.TIME, Instant.now().toString());
        headers.put(Headers.DETAIL, "operator " + action + " requested by " + by);
        headers.put(Headers.FORCE, action);
        headers.put(Headers.OPERATOR, by);
        if (forced) {
            LOG.warn(
                    "Operator {} of LIVE {} forced by {}: both hosts run its routes",
                    action,
                    key,
                    who);
        } else {
            LOG.info("Operator {} of {} requested by {}", action, key, who);
        }
        String xml = SignalXml.render(host, config, state.name(), whitespace);
        Exchange done =
                template.send(
                        Endpoints.SIGNALS,
                        ExchangePattern.InOut,
                        e -> {
                            e.getIn().setBody(xml);
                            e.getIn().setHeaders(headers);
                        });
        if (done.getException() != null) {
            throw new IllegalStateException(
                    "the signal router failed: " + done.getException().getMessage(),
                    done.getException());
        }
        List<?> outcomes = done.getMessage().getHeader(Headers.OUTCOMES, List.class);
        List<String> out = new ArrayList<>();
        if (outcomes != null) {
            outcomes.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** The operator-api route: checks the token, acts, answers JSON. */
    public void http(Exchange exchange) {
        Message in = exchange.getMessage();
        String host = in.getHeader("monitorHost", String.class);
        String config = in.getHeader("monitorConfig", String.class);
        String action = in.getHeader("action", String.class);
        boolean force = "true".equalsIgnoreCase(in.getHeader("force", String.class));
        String who =
                admit(
                        in,
                        action,
                        host,
                        config,
                        "Operator " + action + " of " + host + "/" + config);
        if (who == null) {
            return;
        }
        try {
            List<String> outcomes = act(action, host, config, who, force);
            answer(
                    in,
                    200,
                    Json.write(
                            Json.object(
                                    "action", action,
                                    "host", host,
                                    "config", config,
                                    "by", who,
                                    "forced", force,
                                    "outcomes", outcomes)));
        } catch (Refused e) {
            answer(in, 409, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            answer(in, 404, error(e.getMessage()));
        } catch (RuntimeException e) {
            answer(in, 500, error(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The group-move route: {@code POST /hotbackup/groups/{group}/move?work=<member>&to=<member>}
     * moves a member's work, {@code ?master=true&to=<member>} the master role. Same token, same
     * answers as the takeover and release actions.
     */
    public void groupHttp(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = in.getHeader("group", String.class);
        String work = in.getHeader("work", String.class);
        boolean master = "true".equalsIgnoreCase(in.getHeader("master", String.class));
        String to = in.getHeader("to", String.class);
        String who = admit(in, "group move", name, null, "Group move in " + name);
        if (who == null) {
            return;
        }
        GroupMember g = group;
        if (g == null || !g.spec().name().equals(name)) {
            answer(
                    in,
                    404,
                    error(
                            g == null
                                    ? "this instance is in no group"
                                    : "no group '"
                                            + name
                                            + "' here; this member is in "
                                            + g.spec().name()));
            return;
        }
        if ((work == null) == !master || to == null || to.isBlank()) {
            answer(
                    in,
                    400,
                    error(
                            "say what moves and where: ?work=<member>&to=<member> or"
                                    + " ?master=true&to=<member>"));
            return;
        }
        try {
            String done = g.move(master ? null : work, to, who);
            answer(
                    in,
                    200,
                    Json.write(
                            Json.object(
                                    "group", name,
                                    "moved", master ? "master" : "work/" + work,
                                    "to", to,
                                    "by", who,
                                    "outcome", done)));
        } catch (GroupMember.Refused e) {
            answer(in, 409, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            answer(in, 404, error(e.getMessage()));
        } catch (RuntimeException e) {
            answer(in, 503, error(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Who asked ({@code http <address> <X-Operator>}), once the token admits the request; else
     * answers 403 (no token configured) or 401 (missing or wrong, logged and recorded) and returns
     * {@code null}. Either way the request's headers are gone: nothing of it goes back in the
     * answer.
     *
     * @param what the action as the activity log names it ({@code takeover}, {@code group move})
     * @param logged the same for the log line ({@code Operator takeover of serverA/base})
     */
    private String admit(Message in, String what, String host, String config, String logged) {
        String remote = String.valueOf(in.getHeader(REMOTE_ADDRESS));
        String by = printable(in.getHeader("X-Operator", String.class));
        String who = "http " + remote + (by.isEmpty() ? "" : " " + by);
        String auth = in.getHeader("Authorization", String.class);
        in.removeHeaders("*");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        in.setHeader("Cache-Control", "no-store");
        if (token.length == 0) {
            answer(in, 403, error("operator actions over HTTP are off: set hotbackup.http.token"));
            return null;
        }
        if (!authorised(auth)) {
            activity.record(
                    "operator-refused",
                    host,
                    config,
                    null,
                    what + " refused: missing or wrong token, from " + who);
            LOG.warn("{} refused: missing or wrong token, from {}", logged, who);
            in.setHeader("WWW-Authenticate", "Bearer realm=\"hotbackup\"");
            answer(in, 401, error("missing or wrong token (Authorization: Bearer ...)"));
            return null;
        }
        return who;
    }

    private static String error(String message) {
        return Json.write(Json.object("error", message));
    }

    /** An action refused because of the host's state, not because of the request. */
    public static final class Refused extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private boolean authorised(String auth) {
        if (auth == null || !auth.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = auth.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static void answer(Message in, int code, String json) {
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        in.setBody(json + "\n");
    }

    /** At most 64 printable characters of a free-text name. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString().trim();
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
