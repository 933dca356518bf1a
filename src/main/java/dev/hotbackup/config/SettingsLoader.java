package dev.hotbackup.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Reads the settings once per Camel context from Camel's properties (the files, {@code -D},
 * environment variables, the command line and test overrides) and keeps them in the registry as
 * {@value #BEAN}: camel-main needs some of them before the pack's configuration runs ({@code
 * camel.server.*}), and both must see the same values.
 */
public final class SettingsLoader {

    /** The registry name of the settings. */
    public static final String BEAN = "hotbackupSettings";

    private SettingsLoader() {}

    /** The settings of this context, read and checked on first use. */
    public static HotBackupSettings get(CamelContext camelContext) {
        HotBackupSettings s =
                camelContext.getRegistry().lookupByNameAndType(BEAN, HotBackupSettings.class);
        if (s == null) {
            PropertiesComponent pc = camelContext.getPropertiesComponent();
            s = HotBackupSettings.load(key -> pc.resolveProperty(key).orElse(null), configured(pc));
            camelContext.getRegistry().bind(BEAN, s);
            // the defaults, as the last place a placeholder looks
            s.defaults.forEach(pc::addInitialProperty);
        }
        return s;
    }

    /** Every key under {@code hotbackup.} that is set, and where. */
    static Map<String, String> configured(PropertiesComponent pc) {
        Map<String, String> out = new LinkedHashMap<>();
        Properties loaded = pc.loadProperties(k -> k.startsWith("hotbackup."));
        for (String name : loaded.stringPropertyNames()) {
            String where =
                    loaded instanceof OrderedLocationProperties olp ? olp.getLocation(name) : null;
            if (!"initial".equals(where)) {
                out.put(name, where == null ? "properties" : where);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("hotbackup.")) {
                out.put(name, "-D");
            }
        }
        System.getenv().keySet().stream()
                .filter(n -> n.startsWith("HOTBACKUP_"))
                .forEach(n -> out.put(n, "environment"));
        return out;
    }
}
