package io.dvsflow.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    private static final Pattern IMG =
            Pattern.compile(
                    "<img alt=\"([^\"]*)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">");

    /** A 16 x 12 PNG whose grey level is {@code level}. */
    private static void frame(Path dir, String stream, String kind, long startUs, int level)
            throws IOException {
        BufferedImage img = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (level << 16) | (level << 8) | level);
            }
        }
        Path file = dir.resolve(stream).resolve(String.format("%s_%013d.png", kind, startUs));
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static List<String[]> images(String html) {
        List<String[]> out = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    @Test
    void writesASelfContainedPageWithSheetsCurvesAndTables(@TempDir Path run) throws Exception {
        for (int w = 0; w < 10; w++) {
            long t = w * 50_000L;
            frame(run, "cam1", "counts", t, 20 * w);
            frame(run, "cam1", "vdib", t, 200 - 10 * w);
            frame(run, "cam1", "target", t, 100);
        }
        frame(run, "cam2", "highpass", 0, 50);
        Files.writeString(
                run.resolve("metrics.csv"),
                "step,loss,psnr,when\n0,1.0,10,a\n100,0.5,,b\n200,0.25,20,c\n");
        Files.writeString(
                run.resolve("summary.json"),
                "{\"mse\": 0.0123, \"psnr\": 19.1, \"ssim\": 0.71, \"accuracy\": 0.93,"
                        + " \"throughput\": {\"events_per_s\": 12500000},"
                        + " \"latency\": {\"p50_ms\": 12.5, \"p99_ms\": 40},"
                        + " \"method\": \"vdib <v2>\"}");

        RunReport.Result r = RunReport.write(run, new RunReport.Options(4, 64));

        assertThat(r.html()).isEqualTo(run.resolve("report.html"));
        String html = Files.readString(r.html());
        // 2 curves (loss, psnr; "when" has no numbers) + 2 contact sheets (cam1, cam2)
        assertThat(r.curves()).isEqualTo(2);
        assertThat(r.contactSheets()).isEqualTo(2);
        assertThat(r.metrics()).isEqualTo(8);
        List<String[]> imgs = images(html);
        assertThat(imgs).hasSize(4);
        assertThat(html).doesNotContain("src=\"http").doesNotContain("src=\"file");

        // metric tables, escaped
        assertThat(html)
                .contains("<caption>Image quality</caption>")
                .contains("<tr><th>psnr</th><td>19.1</td></tr>")
                .contains("<tr><th>accuracy</th><td>0.93</td></tr>")
                .contains("<tr><th>throughput.events_per_s</th><td>12500000</td></tr>")
                .contains("<tr><th>latency.p99_ms</th><td>40</td></tr>")
                .contains("vdib &lt;v2&gt;");

        // cam1: 3 kinds (counts | vdib | target), 10 windows spread over 4 rows; cells 64 wide
        // and 64 * 12 / 16 = 48 high (the frames' aspect); 110 px labels:
        // width 110 + 4 + 3 * (64 + 4) = 318, height 22 + 4 + 4 * (48 + 4) = 234
        BufferedImage cam1 = decode(imgs, "contact sheet of cam1");
        assertThat(cam1.getWidth()).isEqualTo(318);
        assertThat(cam1.getHeight()).isEqualTo(234);
        // rows are windows 0, 3, 6, 9 (first and last included); counts grey = 20 * window:
        // row r, column c centre at (114 + c * 68 + 32, 26 + r * 52 + 24)
        assertThat(cam1.getRGB(146, 50) & 0xFF).isEqualTo(0);
        assertThat(cam1.getRGB(146, 26 + 3 * 52 + 24) & 0xFF).isEqualTo(180);
        // column 2 (target) is 100 everywhere
        assertThat(cam1.getRGB(114 + 2 * 68 + 32, 50) & 0xFF).isEqualTo(100);

        // cam2: 1 kind, 1 window: 110 + 4 + 68 = 182 by 22 + 4 + 52 = 78
        BufferedImage cam2 = decode(imgs, "contact sheet of cam2");
        assertThat(cam2.getWidth()).isEqualTo(182);
        assertThat(cam2.getHeight()).isEqualTo(78);
    }

    private static BufferedImage decode(List<String[]> imgs, String alt) throws IOException {
        for (String[] i : imgs) {
            if (i[0].equals(alt)) {
                return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(i[1])));
            }
        }
        throw new AssertionError("no image " + alt);
    }

    @Test
    void vdibFramesGiveASpikeStatisticsTable(@TempDir Path run) throws Exception {
        // two vdib PNG files whose metadata carries readout statistics (rate 0.2 and 0.4, active
        // 50 % and 100 %, bursting 0 and 10 %): the table shows the means
        for (int k = 0; k < 2; k++) {
            byte[] png =
                    io.dvsflow.connectors.sink.PngMetadata.withText(
                            pngBytes(80),
                            "windowEndUs=1;eventCount=1;modelVersion=3;spikes=hidden0:0.1:-:-,readout:"
                                    + (k == 0 ? "0.2:0.5:0" : "0.4:1:0.1"));
            Path file = run.resolve("cam").resolve(String.format("vdib_%013d.png", k * 50_000L));
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        }
        String html = Files.readString(RunReport.write(run, RunReport.Options.DEFAULT).html());
        assertThat(html)
                .contains("Spike statistics")
                .contains("<tr><th>readout</th><td>0.3000</td><td>75.0 %</td><td>5.0 %</td></tr>")
                .contains("<tr><th>hidden0</th><td>0.1000</td><td>-</td><td>-</td></tr>");
    }

    private static byte[] pngBytes(int level) throws IOException {
        BufferedImage img = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, (level << 16) | (level << 8) | level);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void anEmptyRunFolderIsAnErrorNamingWhatWasLookedFor(@TempDir Path run) {
        assertThatThrownBy(() -> RunReport.write(run, RunReport.Options.DEFAULT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nothing to report")
                .hasMessageContaining("summary.json");
        assertThat(run.resolve("report.html")).doesNotExist();
    }

    @Test
    void spreadKeepsFirstAndLast() {
        List<Integer> all = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(RunReport.spread(all, 4)).containsExactly(0, 3, 6, 9);
        assertThat(RunReport.spread(all, 1)).containsExactly(0);
        assertThat(RunReport.spread(List.of(1, 2), 5)).containsExactly(1, 2);
    }

    @Test
    void kindsAreOrderedEventsNaturalizedTarget() {
        List<String> kinds = new ArrayList<>(List.of("target", "zz", "vdib", "counts", "aa"));
        kinds.sort(RunReport::compareKinds);
        assertThat(kinds).containsExactly("counts", "vdib", "target", "aa", "zz");
    }
}
