package io.dvsflow.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer page in a real headless Chromium driven through chromedriver: it loads, shows images
 * that are not blank, and updates when a new frame is written into the watched folder. Skips
 * (visibly) when Chromium or chromedriver is not installed ({@code .ci/install-chromium.sh}).
 */
class ViewerBrowserITCase {

    /** Bound on each wait for the page to reach a state. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Per image: kind, stream, natural size, window start, whether the shown image is the latest
     * one received, the luminance range and mean over all its pixels (drawn into a canvas), and the
     * luminance of its top-left pixel.
     */
    private static final String IMAGES =
            """
            return Array.from(document.querySelectorAll('img[data-kind]')).map(img => {
              const r = { kind: img.dataset.kind, stream: img.dataset.stream,
                          w: img.naturalWidth, h: img.naturalHeight,
                          win: img.dataset.windowStartUs,
                          current: img.complete && img.dataset.loadedSeq === img.dataset.seq,
                          min: 255, max: 0, mean: 0, corner: -1,
                          visible: img.closest('section').style.display !== 'none' };
              if (!img.complete || img.naturalWidth === 0) return r;
              const c = document.createElement('canvas');
              c.width = img.naturalWidth; c.height = img.naturalHeight;
              const g = c.getContext('2d');
              g.drawImage(img, 0, 0);
              const d = g.getImageData(0, 0, c.width, c.height).data;
              let sum = 0;
              for (let i = 0; i < d.length; i += 4) {
                const l = (d[i] + d[i + 1] + d[i + 2]) / 3;
                r.min = Math.min(r.min, l); r.max = Math.max(r.max, l); sum += l;
              }
              r.mean = sum / (d.length / 4);
              r.corner = (d[0] + d[1] + d[2]) / 3;
              return r;
            });
            """;

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(
                Files.isExecutable(WebDriverClient.CHROMIUM)
                        && Files.isExecutable(WebDriverClient.CHROMEDRIVER),
                "Chromium browser test skipped: /usr/bin/chromium or /usr/bin/chromedriver is"
                        + " missing (run .ci/install-chromium.sh as root)");
    }

    private static JsonNode find(JsonNode images, String stream, String kind) {
        for (JsonNode i : images) {
            if (i.path("stream").asText().equals(stream) && i.path("kind").asText().equals(kind)) {
                return i;
            }
        }
        return null;
    }

    /** Polls the page's images until {@code done} holds, at most {@link #WAIT}. */
    private static JsonNode awaitImages(WebDriverClient browser, Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode images = browser.execute(IMAGES);
        while (!done.test(images)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not reach the expected state: " + images);
            }
            Thread.sleep(100); // poll interval of a bounded wait
            images = browser.execute(IMAGES);
        }
        return images;
    }

    private static boolean notBlank(JsonNode img) {
        return img != null
                && img.path("current").asBoolean()
                && img.path("w").asInt() > 0
                && img.path("max").asDouble() - img.path("min").asDouble() > 100;
    }

    @Test
    void showsNonBlankFramesAndUpdatesWhenANewFrameArrives(@TempDir Path tmp) throws Exception {
        Path frames = tmp.resolve("frames");
        TestFrames.write(frames, TestFrames.gradient("cam1", "counts", 50_000, 0));
        TestFrames.write(
                frames,
                io.dvsflow.schemas.avro.Frame.newBuilder(
                                TestFrames.gradient("cam1", "vdib", 50_000, 3))
                        .setSpikeStats(
                                java.util.List.of(
                                        new io.dvsflow.schemas.avro.LayerSpikes(
                                                "readout", 0.25f, 0.5f, 0f)))
                        .build());
        TestFrames.write(frames, TestFrames.gradient("cam2", "highpass", 50_000, 6));
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        try (ViewServer server = ViewServer.watching(frames);
                WebDriverClient browser = WebDriverClient.start(profile)) {
            server.start(0);
            browser.navigate(server.uri());
            assertThat(browser.execute("return document.title;").asText())
                    .isEqualTo("dvsflow view");

            JsonNode images =
                    awaitImages(
                            browser,
                            imgs ->
                                    notBlank(find(imgs, "cam1", "counts"))
                                            && notBlank(find(imgs, "cam1", "vdib"))
                                            && notBlank(find(imgs, "cam2", "highpass")));
            JsonNode counts = find(images, "cam1", "counts");
            // the PNG is 4x the 32 x 24 frame
            assertThat(counts.path("w").asInt()).isEqualTo(TestFrames.W * 4);
            assertThat(counts.path("h").asInt()).isEqualTo(TestFrames.H * 4);
            assertThat(counts.path("win").asText()).isEqualTo("50000");
            // gradient (x + y + phase) mod 16, grey from min to max: phase 0 puts 0 (black) at (0,
            // 0)
            assertThat(counts.path("corner").asDouble()).isZero();

            // events and naturalized side by side; captions with window time, model version
            // (none for event frames: '-'), latency and spike statistics (absent: '-')
            String text = browser.execute("return document.body.textContent;").asText();
            assertThat(text)
                    .contains("Event frames")
                    .contains("Naturalized")
                    .contains("window 0.050 s")
                    .contains("model -")
                    .containsPattern("latency \\d+(\\.\\d)? m?s")
                    .contains("spikes -")
                    // dvsflow's PNG files carry the model version and spike statistics
                    .contains("model 7")
                    .contains("readout rate 0.250, active 50.0 %, bursting 0.0 %");

            // the page as the user sees it is not blank either
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(browser.screenshot()));
            assertThat(lumaRange(shot)).isGreaterThan(100);

            // a new frame written into the folder replaces the old one on the page
            TestFrames.write(frames, TestFrames.gradient("cam1", "counts", 100_000, 8));
            images =
                    awaitImages(
                            browser,
                            imgs -> {
                                JsonNode c = find(imgs, "cam1", "counts");
                                return notBlank(c) && c.path("win").asText().equals("100000");
                            });
            // phase 8: (0, 0) holds 8 of [0, 15], grey 255 * 8 / 15 = 136
            assertThat(find(images, "cam1", "counts").path("corner").asDouble())
                    .isCloseTo(136, org.assertj.core.data.Offset.offset(1.0));

            // stream selection hides the other streams
            browser.execute(
                    "const s = document.getElementById('streamSelect'); s.value = 'cam2';"
                            + " s.dispatchEvent(new Event('change')); return s.value;");
            images = browser.execute(IMAGES);
            assertThat(find(images, "cam1", "counts").path("visible").asBoolean()).isFalse();
            assertThat(find(images, "cam2", "highpass").path("visible").asBoolean()).isTrue();
        }
    }

    @Test
    void showsTheModelVersionAndSpikeStatisticsOfKafkaFrames(@TempDir Path tmp) throws Exception {
        FrameStore store = new FrameStore();
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        try (ViewServer server = new ViewServer(store, "dvsflow view");
                WebDriverClient browser = WebDriverClient.start(profile)) {
            server.start(0);
            browser.navigate(server.uri());
            long now = System.currentTimeMillis();
            io.dvsflow.schemas.avro.Frame frame =
                    io.dvsflow.schemas.avro.Frame.newBuilder(
                                    TestFrames.gradient("cam9", "vdib", 50_000, 2))
                            .setSpikeStats(
                                    java.util.List.of(
                                            new io.dvsflow.schemas.avro.LayerSpikes(
                                                    "hidden0", 0.09f, null, null),
                                            new io.dvsflow.schemas.avro.LayerSpikes(
                                                    "readout", 0.375f, 0.75f, 0.125f)))
                            .build();
            // the store feeds the page as the Kafka feed does
            store.put(ViewFrame.ofFrame(0, frame, now - 40, now));
            awaitImages(browser, imgs -> notBlank(find(imgs, "cam9", "vdib")));
            String text = browser.execute("return document.body.textContent;").asText();
            assertThat(text)
                    .contains("model 7")
                    .contains("events 123")
                    .contains("hidden0 rate 0.090, active -, bursting -")
                    .contains("readout rate 0.375, active 75.0 %, bursting 12.5 %")
                    .doesNotContain("spikes -");
        }
    }

    private static int lumaRange(BufferedImage img) {
        int min = 255;
        int max = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int l = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 3;
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
        }
        return max - min;
    }
}
