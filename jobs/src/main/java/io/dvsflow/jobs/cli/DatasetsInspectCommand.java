package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.datasets.DatasetLayout;
import io.dvsflow.connectors.datasets.DatasetProblem;
import io.dvsflow.connectors.datasets.DatasetRecording;
import io.dvsflow.connectors.datasets.DatasetScan;
import io.dvsflow.connectors.datasets.MnistDvsLayout;
import io.dvsflow.connectors.datasets.NmnistLayout;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.schemas.avro.LabeledSegment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow datasets inspect ROOT [--json]}: detect a dataset folder's layout and summarise
 * it. Every recording is read once; a file that cannot be read is listed with its reason and the
 * listing goes on.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Detect a dataset folder's layout (MNIST-DVS, DVS Gesture, N-MNIST, real or emulated by"
                    + " dvsflow) and print recordings per class and split, events, durations and"
                    + " every unreadable file with its reason. Reads every recording once.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow datasets inspect ~/data/MNIST_DVS --scale 4",
            "  ./dvsflow datasets inspect ~/data/DvsGesture --json",
            "  ./dvsflow datasets inspect emulated/ ",
        })
final class DatasetsInspectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROOT", description = "The dataset's root folder.")
    Path root;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(
            names = "--scale",
            paramLabel = "S",
            split = ",",
            description = "MNIST-DVS only: the scales to list (4, 8, 16; default all).")
    List<Integer> scales;

    /** Totals of one (class, split) cell. */
    static final class Cell {
        long recordings;
        long events;
        long durationUs;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such folder");
        }
        DatasetLayout layout =
                DatasetLayout.detect(root)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                root
                                                        + " has no known dataset layout"
                                                        + " (grabbed_dataN/, userNN_*_labels.csv,"
                                                        + " Train/ or Test/)"));
        if (layout instanceof MnistDvsLayout && scales != null) {
            layout = new MnistDvsLayout(root, Set.copyOf(scales));
        }
        DatasetScan scan = layout.scan();
        List<DatasetProblem> problems = new ArrayList<>(scan.problems());
        ReaderOptions options =
                layout instanceof NmnistLayout
                        ? ReaderOptions.defaults().withFormat(EventFormat.NMNIST)
                        : ReaderOptions.defaults();
        Map<String, Map<String, Cell>> byClass = new TreeMap<>();
        Map<String, Map<String, Long>> segmentsByClass = new TreeMap<>();
        Map<String, Long> bySplit = new TreeMap<>();
        long events = 0;
        long durationUs = 0;
        long minDuration = Long.MAX_VALUE;
        long maxDuration = 0;
        int readable = 0;
        int withTarget = 0;
        for (DatasetRecording r : scan.recordings()) {
            RecordingSummary s;
            try {
                s = RecordingSummary.scan(r.path(), options.withStreamId(r.streamId()));
            } catch (IOException | RuntimeException e) {
                problems.add(new DatasetProblem(r.path(), DvsflowCli.oneSentence(e)));
                continue;
            }
            readable++;
            withTarget += r.hasTarget() ? 1 : 0;
            String split = r.split().shortName();
            bySplit.merge(split, 1L, Long::sum);
            events += s.events();
            durationUs += s.durationUs();
            minDuration = Math.min(minDuration, s.durationUs());
            maxDuration = Math.max(maxDuration, s.durationUs());
            String cls = r.label() >= 0 ? Integer.toString(r.label()) : "mixed";
            Cell cell =
                    byClass.computeIfAbsent(cls, k -> new TreeMap<>())
                            .computeIfAbsent(split, k -> new Cell());
            cell.recordings++;
            cell.events += s.events();
            cell.durationUs += s.durationUs();
            for (LabeledSegment seg : r.segments()) {
                String name =
                        seg.getLabel()
                                + (seg.getLabelName() != null ? " " + seg.getLabelName() : "");
                segmentsByClass
                        .computeIfAbsent(name, k -> new TreeMap<>())
                        .merge(split, 1L, Long::sum);
            }
        }
        String layoutName = scan.layout() + (scan.emulated() ? " (emulated)" : "");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> classes = new LinkedHashMap<>();
            byClass.forEach(
                    (cls, splits) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        splits.forEach(
                                (split, c) -> {
                                    Map<String, Object> v = new LinkedHashMap<>();
                                    v.put("recordings", c.recordings);
                                    v.put("events", c.events);
                                    v.put("duration_us", c.durationUs);
                                    m.put(split, v);
                                });
                        classes.put(cls, m);
                    });
            Map<String, Object> unreadable = new LinkedHashMap<>();
            for (DatasetProblem p : problems) {
                unreadable.put(root.relativize(p.path()).toString(), p.reason());
            }
            out.println(
                    new JsonObjectWriter()
                            .put("root", root.toString())
                            .put("layout", scan.layout())
                            .put("emulated", scan.emulated())
                            .put("recordings", (long) readable)
                            .put("with_target", (long) withTarget)
                            .put("by_split", bySplit)
                            .put("events", events)
                            .put("duration_us", durationUs)
                            .put("by_class", classes)
                            .put("segments_by_class", segmentsByClass)
                            .put("unreadable", unreadable));
            out.flush();
            return 0;
        }
        out.printf("root:        %s%n", root);
        out.printf("layout:      %s%n", layoutName);
        out.printf(
                "recordings:  %,d readable %s, %,d with a target image%n",
                readable, bySplit, withTarget);
        out.printf("events:      %,d%n", events);
        if (readable > 0) {
            out.printf(
                    "duration:    %.3f s in total, %.3f s mean (%.3f .. %.3f s)%n",
                    durationUs / 1e6,
                    durationUs / 1e6 / readable,
                    minDuration / 1e6,
                    maxDuration / 1e6);
        }
        out.println();
        out.printf(
                "%-6s %-8s %10s %14s %10s%n", "class", "split", "recordings", "events", "mean s");
        byClass.forEach(
                (cls, splits) ->
                        splits.forEach(
                                (split, c) ->
                                        out.printf(
                                                "%-6s %-8s %10d %14d %10.3f%n",
                                                cls,
                                                split,
                                                c.recordings,
                                                c.events,
                                                c.durationUs / 1e6 / c.recordings)));
        if (!segmentsByClass.isEmpty()) {
            out.println();
            out.println("labelled segments per class:");
            segmentsByClass.forEach((cls, splits) -> out.printf("  %-28s %s%n", cls, splits));
        }
        out.println();
        out.printf("unreadable:  %d%n", problems.size());
        for (DatasetProblem p : problems) {
            out.printf("  %s: %s%n", root.relativize(p.path()), p.reason());
        }
        out.flush();
        return 0;
    }
}
