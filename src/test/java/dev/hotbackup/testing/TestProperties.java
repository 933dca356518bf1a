package dev.hotbackup.testing;

import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Properties computed by one test class (free ports, a state folder per test), given to its Camel
 * main before anything is configured, exactly as application.properties would be: the pack reads
 * its settings once, when camel-main first binds the HTTP servers.
 */
public final class TestProperties {

    private TestProperties() {}

    /** Adds {@code properties} as override properties of the main being configured. */
    public static void apply(MainConfigurationProperties main, Map<String, String> properties) {
        Map<String, String> copy = Map.copyOf(properties);
        main.addMainListener(
                new MainListenerSupport() {
                    @Override
                    public void beforeConfigure(BaseMainSupport m) {
                        // the same Properties the properties component holds: the test's
                        // @CamelMainTest(properties = ...) made it
                        copy.forEach(m::addOverrideProperty);
                    }
                });
    }
}
