package io.dvsflow.jobs.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A minimal W3C WebDriver client over {@code chromedriver}'s HTTP API (JDK HttpClient, no
 * Selenium): start the driver, open a headless Chromium session, navigate, run scripts, take
 * screenshots, and stop everything it started.
 */
final class WebDriverClient implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Chromium flags for a closed network, CI containers and a clean profile. */
    static final List<String> CHROMIUM_ARGS =
            List.of(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final URI base;
    private String session;

    private WebDriverClient(Process driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /** Starts chromedriver and a Chromium session with a fresh profile in {@code profileDir}. */
    static WebDriverClient start(Path profileDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p =
                new ProcessBuilder(
                                CHROMEDRIVER.toString(),
                                "--port=" + port,
                                "--allowed-ips=127.0.0.1")
                        .redirectErrorStream(true)
                        .redirectOutput(profileDir.resolveSibling("chromedriver.log").toFile())
                        .start();
        WebDriverClient c = new WebDriverClient(p, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            c.awaitReady();
            ObjectNode caps = JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            ObjectNode chrome = always.putObject("goog:chromeOptions");
            chrome.put("binary", CHROMIUM.toString());
            var args = chrome.putArray("args");
            CHROMIUM_ARGS.forEach(args::add);
            args.add("--user-data-dir=" + profileDir.toAbsolutePath());
            JsonNode r = c.call("POST", "session", caps);
            c.session = r.path("value").path("sessionId").asText();
            if (c.session.isEmpty()) {
                throw new IOException("chromedriver gave no session: " + r);
            }
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new IOException("chromedriver exited with " + driver.exitValue());
            }
            try {
                if (call("GET", "status", null).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50); // poll interval of a bounded wait, not a wait for a result
        }
        throw new IOException("chromedriver not ready within " + STARTUP);
    }

    private JsonNode call(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IOException(
                    "WebDriver " + method + " " + path + ": " + r.statusCode() + " " + json);
        }
        return json;
    }

    void navigate(URI url) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("url", url.toString());
        call("POST", "session/" + session + "/url", body);
    }

    /** Runs a script (a function body; {@code return} gives the result) and returns its value. */
    JsonNode execute(String script) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", "session/" + session + "/execute/sync", body).path("value");
    }

    /** A screenshot of the viewport as PNG bytes. */
    byte[] screenshot() throws Exception {
        String b64 = call("GET", "session/" + session + "/screenshot", null).path("value").asText();
        return Base64.getDecoder().decode(b64);
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        } catch (Exception e) {
            // the driver is stopped below in any case
        } finally {
            driver.descendants().forEach(ProcessHandle::destroy);
            driver.destroy();
        }
    }
}
