package dev.hotbackup;

import dev.hotbackup.config.InvalidConfigurationException;
import dev.hotbackup.support.Causes;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs camel-hot-backup: reads {@code application.properties} and {@code routes/} from the working
 * directory. {@code -b} starts it as a full backup, like {@code hotbackup.backup=true}.
 *
 * <p>Exit codes: 0 after a normal stop or {@code --help}; {@value #USAGE_ERROR} for an unknown
 * command-line option; {@value InvalidConfigurationException#EXIT_CODE} when the configuration is
 * refused (one line per problem on stderr, no stack trace), and also when a running instance
 * stopped itself because its place no longer exists (a standby of a {@code hotbackup.role=auto}
 * pair whose place another one took: started again, it would be refused); 1 when the start failed
 * otherwise.
 */
public final class HotBackupMain {

    private static final Logger LOG = LoggerFactory.getLogger(HotBackupMain.class);

    /** Exit code of an unknown command-line option. */
    public static final int USAGE_ERROR = 2;

    static final String USAGE =
            "Usage: java -jar camel-hot-backup.jar [-b]\n"
                    + "  -b, -backup   start as a full backup (hotbackup.backup=true): nothing is"
                    + " taken over\n"
                    + "                and no heartbeat is sent until the monitored host is DEAD\n"
                    + "  -h, --help    print this and exit\n"
                    + "Configuration: application.properties and routes/ in the working directory;"
                    + " any key\n"
                    + "also as -Dkey=value (before -jar) or an environment variable"
                    + " (HOTBACKUP_LISTENER_PORT).\n"
                    + "Every key: docs/configuration.md.\n";

    /** The exit code after a stop this instance decided itself, or 0. */
    private static final AtomicInteger STOPPED_WITH = new AtomicInteger();

    private HotBackupMain() {}

    /**
     * Makes the process exit with {@code code} once Camel has stopped: for an instance that stops
     * itself for a reason a restart would not cure.
     */
    static void exitAfterStop(int code) {
        STOPPED_WITH.set(code);
    }

    public static void main(String... args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs until stopped and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean backup = false;
        for (String arg : args) {
            switch (arg) {
                case "-b", "-backup" -> backup = true;
                case "-h", "-help", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.println("camel-hot-backup: unknown option '" + arg + "'");
                    err.print(USAGE);
                    return USAGE_ERROR;
                }
            }
        }
        // the one configuration class by name: scanning the package for it costs half a second
        Main main = new Main();
        main.configure().addConfiguration(HotBackupConfiguration.class);
        main.setPropertyPlaceholderLocations(
                "file:application.properties;optional=true,classpath:hotbackup/camel.properties");
        if (backup) {
            main.addArgumentProperty("hotbackup.backup", "true");
        }
        main.addMainListener(
                new MainListenerSupport() {
                    @Override
                    public void beforeConfigure(BaseMainSupport m) {
                        // camel-main reads the route files before any configuration class runs
                        PackRoutes.checkUserRoutesFolders(m.getCamelContext());
                    }
                });
        try {
            int code = main.run(new String[0]);
            return code != 0 ? code : STOPPED_WITH.get();
        } catch (Exception e) {
            // a failed start is not a shutdown: keep Camel's hook from logging one
            main.completed();
            return refused(e, err);
        }
    }

    /** Prints why the start failed, in as few lines as possible, and returns the exit code. */
    static int refused(Throwable e, PrintStream err) {
        InvalidConfigurationException invalid = InvalidConfigurationException.in(e);
        if (invalid != null) {
            err.println(
                    "camel-hot-backup did not start: "
                            + (invalid.problems().size() == 1
                                    ? "a problem"
                                    : invalid.problems().size() + " problems")
                            + " in the configuration (docs/configuration.md lists every key):");
            invalid.problems().forEach(p -> err.println("  " + p));
            LOG.debug("Refused configuration", e);
            return InvalidConfigurationException.EXIT_CODE;
        }
        err.println("camel-hot-backup did not start: " + Causes.rootMessage(e));
        err.println("  (run with -Dlog.level.hotbackup=DEBUG for the stack trace)");
        LOG.debug("Start failed", e);
        return 1;
    }
}
