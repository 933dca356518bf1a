package dev.hotbackup.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real headless Chromium driven through Debian's chromedriver and the W3C WebDriver protocol
 * (plain HTTP and JSON, no client library). Closed after use: the browser, the driver, and one
 * temporary folder that holds the profile and whatever Chromium puts in its TMPDIR (it left an
 * empty {@code org.chromium.Chromium.scoped_dir.*} in /tmp per run).
 */
public final class Chromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Pattern VALUE_START = Pattern.compile("\"value\"\\s*:\\s*\"");
    private static final Pattern SESSION = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ELEMENT =
            Pattern.compile("\"element-6066-11e4-a52e-4f735466cecf\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final Process driver;
    private final String base;
    private final Path home;
    private final String session;

    private Chromium(Process driver, String base, Path home, String session) {
        this.driver = driver;
        this.base = base;
        this.home = home;
        this.session = session;
    }

    /** Starts chromedriver and a headless Chromium session of the given window size. */
    public static Chromium start(int width, int height) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(
                    "Debian's chromium and chromium-driver are needed (/usr/bin/chromium,"
                            + " /usr/bin/chromedriver): ./mvnw verify installs them with apt-get"
                            + " when it runs as root (scripts/ensure-chromium), or install them"
                            + " by hand");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path home = Files.createTempDirectory("hotbackup-chromium");
        Path profile = Files.createDirectories(home.resolve("profile"));
        ProcessBuilder pb =
                new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TMPDIR", Files.createDirectories(home.resolve("tmp")).toString());
        Process driver = null;
        try {
            driver = pb.start();
            return new Chromium(driver, base(port), home, session(port, profile, width, height));
        } catch (Exception | Error e) {
            if (driver != null) {
                driver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(home);
            throw e;
        }
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Waits for the driver, then opens a session; its id. */
    private static String session(int port, Path profile, int width, int height) throws Exception {
        String base = base(port);
        HttpClient http = HttpClient.newHttpClient();
        try {
            await("chromedriver on port " + port)
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ready(http, base));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("chromedriver did not start on port " + port);
        }
        String caps =
                "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\",\"goog:chromeOptions\":{"
                        + "\"binary\":\""
                        + CHROMIUM
                        + "\",\"args\":[\"--headless=new\",\"--no-sandbox\",\"--disable-gpu\","
                        + "\"--disable-dev-shm-usage\",\"--user-data-dir="
                        + profile
                        + "\",\"--window-size="
                        + width
                        + ","
                        + height
                        + "\"]}}}}";
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/session"))
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(caps))
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher m = SESSION.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no Chromium session: " + r.body());
        }
        return m.group(1);
    }

    public void open(String url) throws Exception {
        call("POST", "/url", "{\"url\":\"" + url + "\"}");
    }

    /** The text of the first element matching a CSS selector, or {@code null} if there is none. */
    public String text(String css) throws Exception {
        String element = find(css);
        return element == null ? null : string(call("GET", "/element/" + element + "/text", null));
    }

    /** An attribute of the first element matching a CSS selector, or {@code null}. */
    public String attribute(String css, String name) throws Exception {
        String element = find(css);
        return element == null
                ? null
                : string(call("GET", "/element/" + element + "/attribute/" + name, null));
    }

    /** A PNG of the window, also written to {@code file}. */
    public byte[] screenshot(Path file) throws Exception {
        String b64 = string(call("GET", "/screenshot", null));
        byte[] png = Base64.getDecoder().decode(b64);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        return png;
    }

    private String find(String css) throws Exception {
        String body =
                call(
                        "POST",
                        "/element",
                        "{\"using\":\"css selector\",\"value\":\""
                                + css.replace("\"", "\\\"")
                                + "\"}");
        Matcher m = ELEMENT.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** The string "value" of a WebDriver answer, unescaped; {@code null} if it is not one. */
    private static String string(String body) {
        Matcher m = VALUE_START.matcher(body);
        if (!m.find()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = m.end(); i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        return null;
    }

    private String call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + "/session/" + session + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json");
        b.method(
                method,
                json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws Exception {
        try {
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/session/" + session))
                            .timeout(Duration.ofSeconds(10))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            driver.destroy();
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            deleteTree(home);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Whether chromedriver answers that it is ready; not yet when it does not answer at all. */
    private static boolean ready(HttpClient http, String base) throws InterruptedException {
        try {
            String body =
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            return body.contains("\"ready\":true") || body.contains("\"ready\": true");
        } catch (IOException e) {
            return false; // not up yet
        }
    }
}
