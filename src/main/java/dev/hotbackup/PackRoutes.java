package dev.hotbackup;

import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.config.Keys;
import dev.hotbackup.routes.PackRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Loads the pack's own routes from the jar, whatever {@code camel.main.routes-include-pattern}
 * says: they cannot go missing from a deployment, and {@code routes/} holds only the user's routes.
 * Refuses a user's route that reuses one of the pack's route ids (Camel would let the later one
 * replace the pack's silently) and takeover routes that do not exist.
 */
final class PackRoutes {

    /** Where the pack's route files are inside the jar. */
    static final String LOCATION = "classpath:hotbackup/";

    private PackRoutes() {}

    /** The pack's templates and their instances, in the DSL {@code hotbackup.dsl} names. */
    static List<String> files(Keys.Dsl dsl) {
        String ext = dsl == Keys.Dsl.YAML ? ".camel.yaml" : ".camel.xml";
        String dir = dsl == Keys.Dsl.YAML ? "templates/" : "templates/xml/";
        List<String> out = new ArrayList<>();
        for (PackRoute r : PackRoute.values()) {
            out.add(LOCATION + dir + r.template() + ext);
        }
        out.add(LOCATION + "routes" + ext);
        return out;
    }

    static void load(CamelContext camelContext, Keys.Dsl dsl) throws Exception {
        guardIds(camelContext);
        List<Resource> resources = new ArrayList<>();
        for (String file : files(dsl)) {
            resources.add(ResourceHelper.resolveMandatoryResource(camelContext, file));
        }
        PluginHelper.getRoutesLoader(camelContext).loadRoutes(resources);
    }

    /** Each pack route id is defined once, by the pack: a second definition is refused. */
    private static void guardIds(CamelContext camelContext) {
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        Function<RouteDefinition, Boolean> previous = model.getRouteFilter();
        Set<String> seen = new HashSet<>();
        model.setRouteFilter(
                route -> {
                    if (previous != null && !previous.apply(route)) {
                        return false;
                    }
                    String id = route.getRouteId();
                    if (PackRoute.isPackRoute(id) && !seen.add(id)) {
                        Resource where = route.getResource();
                        throw new InvalidConfigurationException(
                                (where == null ? "a route" : where.getLocation())
                                        + " defines the route '"
                                        + id
                                        + "', one of the pack's own routes, which come from the"
                                        + " jar: remove it from routes/ (your routes/ holds only"
                                        + " your own routes; give yours another id)");
                    }
                    return true;
                });
    }

    /**
     * Refuses an include pattern whose folder is missing, with the key, rather than let Camel fail
     * with only the folder's name.
     */
    static void checkUserRoutesFolders(CamelContext camelContext) {
        String patterns =
                camelContext
                        .getPropertiesComponent()
                        .resolveProperty("camel.main.routes-include-pattern")
                        .orElse("");
        List<String> problems = new ArrayList<>();
        for (String p : patterns.split(",")) {
            String pattern = p.trim();
            if (!pattern.startsWith("file:")) {
                continue;
            }
            String path = pattern.substring("file:".length());
            int wild = path.indexOf('*');
            String folder = wild < 0 ? null : path.substring(0, path.lastIndexOf('/', wild) + 1);
            if (folder != null && !folder.isEmpty() && !Files.isDirectory(Path.of(folder))) {
                problems.add(
                        "camel.main.routes-include-pattern: the folder "
                                + folder
                                + " of "
                                + pattern
                                + " does not exist in "
                                + Path.of("").toAbsolutePath());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** Refuses to start a backup that could not take over: every takeover route must exist. */
    static void checkTakeoverRoutes(CamelContext context, Set<String> routes) {
        checkRoutes(context, "hotbackup.takeover.routes", "taken over", routes);
    }

    /**
     * Every route id a key names must be a route of the user's; the pack's own routes cannot be
     * listed.
     *
     * @param what what the key does with them, for the message ("taken over", "guarded")
     */
    static void checkRoutes(CamelContext context, String key, String what, Set<String> routes) {
        // routes are registered with the context only as they start; the model knows them all
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> problems = new ArrayList<>();
        List<String> known =
                model.getRouteDefinitions().stream()
                        .map(RouteDefinition::getRouteId)
                        .filter(id -> !PackRoute.isPackRoute(id))
                        .sorted()
                        .toList();
        for (String id : routes) {
            if (PackRoute.isPackRoute(id)) {
                problems.add(
                        key
                                + ": '"
                                + id
                                + "' is one of the pack's own routes and cannot be "
                                + what);
            } else if (model.getRouteDefinition(id) == null) {
                List<String> unread = SettingsFunction.unreadRouteFiles();
                problems.add(
                        key
                                + ": no route has the id '"
                                + id
                                + "'; the routes loaded from routes/ are "
                                + known
                                + (unread.isEmpty()
                                        ? ""
                                        : "; not read: "
                                                + unread
                                                + " ("
                                                + SettingsFunction.ROUTE_FILES
                                                + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }
}
