package dev.hotbackup;

import java.util.LinkedList;
import org.apache.camel.main.Main;

/**
 * Runs camel-hot-backup: reads {@code application.properties} and {@code routes/} from the working
 * directory. {@code -b} starts it as a full backup, like {@code hotbackup.backup=true}.
 */
public final class HotBackupMain {

    private HotBackupMain() {}

    public static void main(String... args) throws Exception {
        Main main = new Main(HotBackupMain.class);
        main.setPropertyPlaceholderLocations(
                "file:application.properties;optional=true,classpath:application.properties;optional=true");
        main.addOption(
                new Main.Option("b", "backup", "Start as a full backup (hotbackup.backup=true)") {
                    @Override
                    protected void doProcess(String arg, LinkedList<String> remainingArgs) {
                        main.addArgumentProperty("hotbackup.backup", "true");
                    }
                });
        System.exit(main.run(args));
    }
}
