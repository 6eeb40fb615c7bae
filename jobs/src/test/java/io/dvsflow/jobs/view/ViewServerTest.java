package io.dvsflow.jobs.view;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewServerTest {

    /** Upper bound on any single blocking read from the server. */
    private static final int READ_TIMEOUT_MS = 10_000;

    /** Most SSE lines read before giving up (bounds the loop even if the server misbehaves). */
    private static final int MAX_LINES = 500;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Reads SSE lines until a data line contains {@code needle}; returns that line or null. */
    private static String readUntil(BufferedReader sse, String needle) throws IOException {
        for (int i = 0; i < MAX_LINES; i++) {
            String line = sse.readLine();
            if (line == null) {
                return null;
            }
            if (line.startsWith("data: ") && line.contains(needle)) {
                return line;
            }
        }
        return null;
    }

    @Test
    void servesThePageTheFramesAndTheirUpdatesOverServerSentEvents(@TempDir Path dir)
            throws Exception {
        Path first = TestFrames.write(dir, TestFrames.gradient("cam1", "counts", 50_000, 0));
        TestFrames.write(dir, TestFrames.gradient("cam1", "vdib", 50_000, 1));
        try (ViewServer server = ViewServer.watching(dir)) {
            int port = server.start(0);
            assertThat(port).isPositive();
            URI base = server.uri();
            assertThat(base.getHost()).isEqualTo("127.0.0.1");

            HttpResponse<byte[]> page = get(base);
            assertThat(page.statusCode()).isEqualTo(200);
            String html = new String(page.body(), UTF_8);
            assertThat(html)
                    .contains("new EventSource(\"events\")")
                    .contains(dir.toString())
                    .doesNotContain("@TITLE@")
                    .doesNotContain("http://")
                    .doesNotContain("https://");

            HttpURLConnection sse =
                    (HttpURLConnection) base.resolve("events").toURL().openConnection();
            sse.setReadTimeout(READ_TIMEOUT_MS);
            assertThat(sse.getResponseCode()).isEqualTo(200);
            assertThat(sse.getContentType()).startsWith("text/event-stream");
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(sse.getInputStream(), UTF_8))) {
                String counts = readUntil(lines, "\"kind\":\"counts\"");
                assertThat(counts)
                        .contains("\"stream\":\"cam1\"")
                        .contains("\"windowStartUs\":50000")
                        .contains("\"group\":\"events\"");

                HttpResponse<byte[]> png = get(base.resolve("frame?stream=cam1&kind=counts"));
                assertThat(png.statusCode()).isEqualTo(200);
                assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
                assertThat(png.body()).isEqualTo(Files.readAllBytes(first));

                // a new frame written into the folder reaches the open event stream
                TestFrames.write(dir, TestFrames.gradient("cam1", "counts", 100_000, 5));
                assertThat(readUntil(lines, "\"windowStartUs\":100000"))
                        .contains("\"kind\":\"counts\"");
            } finally {
                sse.disconnect();
            }

            assertThat(get(base.resolve("frame?stream=cam1&kind=nope")).statusCode())
                    .isEqualTo(404);
            assertThat(get(base.resolve("nowhere")).statusCode()).isEqualTo(404);
            String api = new String(get(base.resolve("api/frames")).body(), UTF_8);
            assertThat(api).startsWith("[").contains("\"kind\":\"vdib\"");
        }
    }

    @Test
    void aServerOverAStoreShowsWhatIsPutIntoIt() throws Exception {
        FrameStore store = new FrameStore();
        try (ViewServer server = new ViewServer(store, "in-process")) {
            server.start(0);
            store.put(ViewFrame.ofPng(0, "s", "target", 0, 10, new byte[] {9, 8}, 0, 0));
            HttpResponse<byte[]> png = get(server.uri().resolve("frame?stream=s&kind=target"));
            assertThat(png.body()).containsExactly(9, 8);
        }
    }
}
