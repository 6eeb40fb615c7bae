package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.RecordingInfo;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dvsflow inspect FILE [--json | --dump-csv]}: what a recording is and holds. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a recording is and holds: format and version, sensor size, device, event"
                    + " counts, time span, skipped words and mean rate. The format is detected by"
                    + " content, never by the file extension.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow inspect recording.aedat",
            "  ./dvsflow inspect sample.raw --json",
            "  ./dvsflow inspect sample.aedat4 --dump-csv > events.csv",
        })
final class InspectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    static final class Output {
        @Option(
                names = "--json",
                description =
                        "Print one JSON object (keys format, width, height, events, on_events,"
                                + " off_events, t_first_us, t_last_us, skipped, ...).")
        boolean json;

        @Option(
                names = "--dump-csv",
                description = "Print every event as a line t,x,y,p (p = 1 for ON) after a header.")
        boolean dumpCsv;
    }

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws IOException {
        CliFiles.requireReadable(file);
        if (output.dumpCsv) {
            dumpCsv();
            return 0;
        }
        RecordingSummary s = RecordingSummary.scan(file, readerOptions.toOptions());
        RecordingInfo info = s.info();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            Map<String, Long> skipped = new LinkedHashMap<>(new java.util.TreeMap<>(s.skipped()));
            out.println(
                    new JsonObjectWriter()
                            .put("file", file.toString())
                            .put("format", info.format().shortName())
                            .put("version", info.version())
                            .put("device", info.device())
                            .put("width", info.width())
                            .put("height", info.height())
                            .put("events", s.events())
                            .put("on_events", s.onEvents())
                            .put("off_events", s.offEvents())
                            .put("t_first_us", s.tFirstUs())
                            .put("t_last_us", s.tLastUs())
                            .put("duration_us", s.durationUs())
                            .put("mean_rate_hz", s.meanRateHz())
                            .put("skipped", s.skippedTotal())
                            .put("skipped_by_reason", skipped)
                            .put("backward_steps", s.backwardSteps())
                            .put("max_x", s.maxX())
                            .put("max_y", s.maxY()));
        } else {
            out.printf("file:        %s%n", file);
            out.printf(
                    "format:      %s%s%n",
                    info.format().shortName(),
                    info.version().isEmpty() ? "" : " (version " + info.version() + ")");
            out.printf(
                    "sensor:      %s%n",
                    info.width() > 0
                            ? info.width() + " x " + info.height()
                            : "not stated (events span "
                                    + (s.maxX() + 1)
                                    + " x "
                                    + (s.maxY() + 1)
                                    + ")");
            out.printf("device:      %s%n", info.device().isEmpty() ? "-" : info.device());
            out.printf(
                    "events:      %,d (ON %,d, OFF %,d)%n",
                    s.events(), s.onEvents(), s.offEvents());
            out.printf("time:        %,d .. %,d us%n", s.tFirstUs(), s.tLastUs());
            out.printf(
                    "duration:    %.6f s, mean rate %.1f kev/s%n",
                    s.durationUs() / 1e6, s.meanRateHz() / 1e3);
            out.printf(
                    "skipped:     %,d %s%n",
                    s.skippedTotal(), s.skipped().isEmpty() ? "" : s.skipped());
            if (s.backwardSteps() > 0) {
                out.printf(
                        "backwards:   %,d timestamps smaller than their predecessor%n",
                        s.backwardSteps());
            }
            for (Map.Entry<String, String> e : info.metadata().entrySet()) {
                out.printf("%-12s %s%n", e.getKey() + ":", e.getValue());
            }
        }
        out.flush();
        return 0;
    }

    private void dumpCsv() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        try (EventReader reader = EventFormats.open(file, readerOptions.toOptions())) {
            EventPacket packet = reader.newPacket();
            w.write("t,x,y,p\n");
            StringBuilder line = new StringBuilder(64);
            while (reader.read(packet)) {
                long[] t = packet.timestamps();
                short[] xs = packet.xs();
                short[] ys = packet.ys();
                byte[] ps = packet.polarities();
                for (int i = 0; i < packet.size(); i++) {
                    line.setLength(0);
                    line.append(t[i]).append(',').append(xs[i]).append(',').append(ys[i]);
                    line.append(',').append(ps[i]).append('\n');
                    w.append(line);
                }
            }
        }
        w.flush();
    }
}
