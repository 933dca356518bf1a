package dev.hotbackup.support;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/** Work that must wait until Camel has started every route. */
public final class Startup {

    private Startup() {}

    /** Runs {@code task} once Camel has started every route (and bound its meter registry). */
    public static void whenFullyStarted(CamelContext camelContext, Runnable task) throws Exception {
        camelContext.addStartupListener(
                new StartupListener() {
                    @Override
                    public void onCamelContextStarted(
                            CamelContext context, boolean alreadyStarted) {
                        // not yet: routes may still be starting
                    }

                    @Override
                    public void onCamelContextFullyStarted(
                            CamelContext context, boolean alreadyStarted) {
                        task.run();
                    }
                });
    }
}
