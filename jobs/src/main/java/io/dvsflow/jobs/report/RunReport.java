package io.dvsflow.jobs.report;

import io.dvsflow.connectors.sink.PngMetadata;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@code report.html} of a run folder: one self-contained page (every picture embedded as a {@code
 * data:} URI) with
 *
 * <ul>
 *   <li>metric tables from {@code RUN_DIR/summary.json} ({@link RunSummary});
 *   <li>curves from {@code RUN_DIR/metrics.csv} and {@code RUN_DIR/train-log.csv} ({@link
 *       TrainingLog}), one chart per numeric column;
 *   <li>a contact sheet per stream ({@link ContactSheet}) from the PNG frames found under {@code
 *       RUN_DIR} (up to {@value #MAX_DEPTH} folders deep) named as {@code PngFrameSink} names them,
 *       {@code <stream>/<kind>_<windowStartUs, 13 digits>.png}: columns are the kinds present,
 *       event frames first (counts, binary, signed, voxel, events), then naturalized images
 *       (integrate, highpass, vdib), then target, then any other kind; rows are time windows, at
 *       most {@code maxRows} of them spread evenly over the run (first and last included).
 * </ul>
 *
 * <p>At most {@value #MAX_FRAME_FILES} frame files are considered.
 */
public final class RunReport {

    /** Frame files considered at most. */
    public static final int MAX_FRAME_FILES = 200_000;

    /** Largest frame image read (pixels). */
    public static final long MAX_FRAME_PIXELS = 16L << 20;

    /** Folder depth searched for frames. */
    public static final int MAX_DEPTH = 4;

    /** Name of the page written into the run folder. */
    public static final String FILE_NAME = "report.html";

    /** CSV logs read, in this order. */
    public static final List<String> CSV_LOGS = List.of("metrics.csv", "train-log.csv");

    private static final Pattern FRAME_NAME = Pattern.compile("([A-Za-z0-9.-]+)_(\\d{13})\\.png");

    private static final List<String> KIND_ORDER =
            List.of(
                    "counts",
                    "binary",
                    "signed",
                    "voxel",
                    "events",
                    "integrate",
                    "highpass",
                    "vdib",
                    "target");

    /**
     * Layout choices.
     *
     * @param maxRows time windows per contact sheet (default 8)
     * @param cellSize cell edge of contact sheets in pixels (default 160)
     */
    public record Options(int maxRows, int cellSize) {
        public static final Options DEFAULT = new Options(8, 160);

        public Options {
            if (maxRows < 1 || cellSize < 8) {
                throw new IllegalArgumentException(
                        "a report needs at least 1 row per contact sheet and cells of at least 8"
                                + " pixels");
            }
        }
    }

    /** What was written. */
    public record Result(Path html, int contactSheets, int curves, int metrics, int images) {}

    private RunReport() {}

    /**
     * Writes {@code runDir/report.html}.
     *
     * @throws IOException naming the folder when it is missing or holds nothing to report
     */
    public static Result write(Path runDir, Options options) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new IOException(runDir + ": no such run folder");
        }
        StringBuilder body = new StringBuilder();
        int images = 0;

        RunSummary summary = null;
        Path summaryFile = runDir.resolve("summary.json");
        if (Files.isRegularFile(summaryFile)) {
            summary = RunSummary.read(summaryFile);
            body.append("<h2>Metrics</h2>\n");
            for (Map.Entry<String, Map<String, String>> t : summary.tables().entrySet()) {
                body.append("<table><caption>").append(esc(t.getKey())).append("</caption>\n");
                for (Map.Entry<String, String> row : t.getValue().entrySet()) {
                    body.append("<tr><th>")
                            .append(esc(row.getKey()))
                            .append("</th><td>")
                            .append(esc(row.getValue()))
                            .append("</td></tr>\n");
                }
                body.append("</table>\n");
            }
        }

        int curves = 0;
        for (String name : CSV_LOGS) {
            Path csv = runDir.resolve(name);
            if (!Files.isRegularFile(csv)) {
                continue;
            }
            TrainingLog log = TrainingLog.read(csv);
            body.append("<h2>Curves: ").append(esc(name)).append("</h2>\n");
            if (log.truncated()) {
                body.append("<p>Only the first ")
                        .append(TrainingLog.MAX_ROWS)
                        .append(" records are drawn.</p>\n");
            }
            body.append("<div class=\"curves\">\n");
            for (int i = 0; i < log.names().size(); i++) {
                BufferedImage chart =
                        CurveChart.render(
                                log.names().get(i),
                                log.xName(),
                                log.x(),
                                log.series().get(i),
                                480,
                                300);
                body.append(img(png(chart), log.names().get(i) + " over " + log.xName()));
                curves++;
                images++;
            }
            body.append("</div>\n");
        }

        Map<String, Map<String, TreeMap<Long, Path>>> frames = findFrames(runDir);
        int sheets = 0;
        if (!frames.isEmpty()) {
            body.append("<h2>Contact sheets</h2>\n");
        }
        for (Map.Entry<String, Map<String, TreeMap<Long, Path>>> stream : frames.entrySet()) {
            ContactSheet sheet = contactSheet(stream.getValue(), options);
            body.append("<h3>")
                    .append(esc(stream.getKey()))
                    .append("</h3>\n")
                    .append(img(sheet.png(), "contact sheet of " + stream.getKey()));
            sheets++;
            images++;
        }

        spikeStatistics(frames, body);

        if (summary == null && curves == 0 && sheets == 0) {
            throw new IOException(
                    runDir
                            + ": nothing to report: no frames"
                            + " (<stream>/<kind>_<windowStartUs>.png), "
                            + String.join(", ", CSV_LOGS)
                            + " or summary.json");
        }
        Path html = runDir.resolve(FILE_NAME);
        Files.writeString(html, page(runDir, body), StandardCharsets.UTF_8);
        return new Result(html, sheets, curves, summary == null ? 0 : summary.size(), images);
    }

    /**
     * Appends, per stream with {@code vdib} frames whose PNG files carry spike statistics ({@link
     * PngMetadata}), a table of the mean rate, active-neuron ratio and bursting ratio per layer.
     *
     * @return the number of tables
     */
    static int spikeStatistics(
            Map<String, Map<String, TreeMap<Long, Path>>> frames, StringBuilder body)
            throws IOException {
        int tables = 0;
        for (Map.Entry<String, Map<String, TreeMap<Long, Path>>> stream : frames.entrySet()) {
            TreeMap<Long, Path> vdib = stream.getValue().get("vdib");
            if (vdib == null) {
                continue;
            }
            Map<String, double[]> sums = new java.util.LinkedHashMap<>();
            for (Path f : vdib.values()) {
                List<io.dvsflow.schemas.avro.LayerSpikes> layers =
                        PngMetadata.spikes(PngMetadata.read(Files.readAllBytes(f)).get("spikes"));
                if (layers == null) {
                    continue;
                }
                for (io.dvsflow.schemas.avro.LayerSpikes l : layers) {
                    double[] a = sums.computeIfAbsent(l.getLayer().toString(), k -> new double[6]);
                    add(a, 0, l.getRate());
                    add(a, 2, l.getActiveRatio());
                    add(a, 4, l.getBurstingRatio());
                }
            }
            if (sums.isEmpty()) {
                continue;
            }
            if (tables == 0) {
                body.append("<h2>Spike statistics (mean over the vdib images)</h2>\n");
            }
            body.append("<table><caption>")
                    .append(esc(stream.getKey()))
                    .append("</caption>\n<tr><th>layer</th><th>rate (spikes/neuron/step)</th>")
                    .append("<th>active neurons</th><th>bursting neurons</th></tr>\n");
            for (Map.Entry<String, double[]> e : sums.entrySet()) {
                double[] a = e.getValue();
                body.append("<tr><th>")
                        .append(esc(e.getKey()))
                        .append("</th><td>")
                        .append(mean(a, 0, 1))
                        .append("</td><td>")
                        .append(mean(a, 2, 100))
                        .append("</td><td>")
                        .append(mean(a, 4, 100))
                        .append("</td></tr>\n");
            }
            body.append("</table>\n");
            tables++;
        }
        return tables;
    }

    private static void add(double[] a, int i, Float v) {
        if (v != null && Float.isFinite(v)) {
            a[i] += v;
            a[i + 1]++;
        }
    }

    private static String mean(double[] a, int i, double scale) {
        if (a[i + 1] == 0) {
            return "-";
        }
        double m = scale * a[i] / a[i + 1];
        return scale == 100
                ? String.format(java.util.Locale.ROOT, "%.1f %%", m)
                : String.format(java.util.Locale.ROOT, "%.4f", m);
    }

    /** The frames under {@code root}: stream -> kind -> window start (µs) -> file. */
    static Map<String, Map<String, TreeMap<Long, Path>>> findFrames(Path root) throws IOException {
        Map<String, Map<String, TreeMap<Long, Path>>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
            List<Path> list =
                    files.filter(p -> p.getFileName().toString().endsWith(".png"))
                            .limit(MAX_FRAME_FILES)
                            .toList();
            for (Path file : list) {
                Matcher m = FRAME_NAME.matcher(file.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                Path parent = file.getParent();
                String stream =
                        parent.equals(root)
                                ? String.valueOf(root.toAbsolutePath().getFileName())
                                : root.relativize(parent).toString().replace('\\', '/');
                out.computeIfAbsent(stream, s -> new TreeMap<>(RunReport::compareKinds))
                        .computeIfAbsent(m.group(1), k -> new TreeMap<>())
                        .put(Long.parseLong(m.group(2)), file);
            }
        }
        return out;
    }

    /** Known kinds in {@link #KIND_ORDER}, then the others alphabetically. */
    static int compareKinds(String a, String b) {
        int ia = KIND_ORDER.indexOf(a);
        int ib = KIND_ORDER.indexOf(b);
        ia = ia < 0 ? Integer.MAX_VALUE : ia;
        ib = ib < 0 ? Integer.MAX_VALUE : ib;
        return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    }

    /**
     * The sheet of one stream: one column per kind, up to {@code maxRows} windows; cells are {@code
     * cellSize} wide and as high as the tallest picture's aspect ratio asks (at most 4 times the
     * width).
     */
    static ContactSheet contactSheet(Map<String, TreeMap<Long, Path>> kinds, Options options)
            throws IOException {
        TreeSet<Long> windows = new TreeSet<>();
        for (TreeMap<Long, Path> byWindow : kinds.values()) {
            windows.addAll(byWindow.keySet());
        }
        List<Long> chosen = spread(new ArrayList<>(windows), options.maxRows());
        List<String> titles = new ArrayList<>();
        for (String kind : kinds.keySet()) {
            titles.add(kind);
        }
        List<List<BufferedImage>> rows = new ArrayList<>();
        double aspect = 0; // largest height / width of the pictures
        for (long w : chosen) {
            List<BufferedImage> cells = new ArrayList<>();
            for (TreeMap<Long, Path> byWindow : kinds.values()) {
                Path file = byWindow.get(w);
                BufferedImage img = file == null ? null : readFrame(file);
                if (img != null) {
                    aspect = Math.max(aspect, (double) img.getHeight() / img.getWidth());
                }
                cells.add(img);
            }
            rows.add(cells);
        }
        int cellHeight =
                aspect > 0
                        ? (int)
                                Math.max(
                                        8,
                                        Math.min(
                                                4L * options.cellSize(),
                                                Math.round(options.cellSize() * aspect)))
                        : options.cellSize();
        ContactSheet sheet = new ContactSheet(titles, options.cellSize(), cellHeight, 110);
        for (int i = 0; i < chosen.size(); i++) {
            sheet.addRow(
                    String.format(Locale.ROOT, "t = %.3f s", chosen.get(i) / 1e6), rows.get(i));
        }
        return sheet;
    }

    /**
     * Reads a frame PNG, or null when it is unreadable or larger than {@value #MAX_FRAME_PIXELS}
     * pixels (checked from the header before decoding).
     */
    static BufferedImage readFrame(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_FRAME_PIXELS) {
                    return null;
                }
                return reader.read(0);
            } catch (IOException | RuntimeException e) {
                return null;
            } finally {
                reader.dispose();
            }
        }
    }

    /** At most {@code n} elements spread evenly over {@code all}, first and last included. */
    static <T> List<T> spread(List<T> all, int n) {
        if (all.size() <= n) {
            return all;
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(
                    all.get(
                            n == 1
                                    ? 0
                                    : (int) Math.round(i * (all.size() - 1) / (double) (n - 1))));
        }
        return out;
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static String img(byte[] png, String alt) {
        return "<img alt=\""
                + esc(alt)
                + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png)
                + "\">\n";
    }

    private static String page(Path runDir, StringBuilder body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>dvsflow report: "
                + esc(String.valueOf(runDir.toAbsolutePath().normalize().getFileName()))
                + "</title>\n<style>\n"
                + "body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 2em; }\n"
                + "table { border-collapse: collapse; margin: 0 2em 1em 0; display: inline-table;"
                + " vertical-align: top; }\n"
                + "caption { font-weight: bold; text-align: left; }\n"
                + "th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }\n"
                + "td { font-variant-numeric: tabular-nums; }\n"
                + ".curves img { margin: 0 1em 1em 0; }\n"
                + "img { max-width: 100%; }\n"
                + "</style>\n</head>\n<body>\n<h1>dvsflow run report</h1>\n<p>"
                + esc(runDir.toAbsolutePath().normalize().toString())
                + "</p>\n"
                + body
                + "</body>\n</html>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
