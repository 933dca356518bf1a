package dev.hotbackup.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.tools.Server;

/** A real H2 server for a test: TCP on {@code port}, its databases in {@code dir}. */
public final class H2 {

    private H2() {}

    /** Starts the server; a database is created on first use. */
    public static Server start(int port, Path dir) throws Exception {
        Files.createDirectories(dir);
        return Server.createTcpServer(
                        "-tcpPort",
                        Integer.toString(port),
                        "-baseDir",
                        dir.toString(),
                        "-ifNotExists")
                .start();
    }
}
