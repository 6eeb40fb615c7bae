package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dvsflow convert IN OUT --to aedat2|aedat3|aedat4}: rewrites a recording. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Rewrite a recording in another format. Events are copied exactly (time, x, y,"
                    + " polarity); the sensor size comes from the input's header or, when it"
                    + " states none, from the largest coordinates seen.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow convert user01_led.aedat user01_led.aedat4 --to aedat4 --compression lz4",
            "  ./dvsflow convert sample.raw sample.aedat --to aedat3",
        })
final class ConvertCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The recording to read.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (replaced).")
    Path out;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "FORMAT",
            description = "Output format: aedat2 (DVS128 layout, up to 128x128), aedat3, aedat4.")
    String to;

    @Option(
            names = "--compression",
            paramLabel = "C",
            defaultValue = "lz4",
            description =
                    "AEDAT 4.0 packet compression: none, lz4, zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(
            names = "--events-per-packet",
            paramLabel = "N",
            defaultValue = "4096",
            description =
                    "Events per file packet for AEDAT 3.1 and 4.0 (default: ${DEFAULT-VALUE}).")
    int eventsPerPacket;

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws IOException {
        CliFiles.requireReadable(in);
        EventFormat format = EventFormat.fromShortName(to);
        if (!EventFormats.canWrite(format)) {
            throw new ParameterException(
                    spec.commandLine(), "--to must be aedat2, aedat3 or aedat4, not " + to);
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new ParameterException(spec.commandLine(), "OUT must differ from IN");
        }
        WriterOptions.Compression c;
        try {
            c = WriterOptions.Compression.valueOf(compression.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--compression must be none, lz4 or zstd, not " + compression);
        }
        ReaderOptions options = readerOptions.toOptions();
        RecordingSummary summary = RecordingSummary.scan(in, options);
        int width = Math.max(1, summary.effectiveWidth());
        int height = Math.max(1, summary.effectiveHeight());
        if (format == EventFormat.AEDAT2 && (summary.maxX() > 127 || summary.maxY() > 127)) {
            throw new IllegalArgumentException(
                    "AEDAT 2.0 (DVS128 layout) holds coordinates up to 127, but "
                            + in
                            + " has events up to x="
                            + summary.maxX()
                            + ", y="
                            + summary.maxY()
                            + "; convert to aedat3 or aedat4 instead");
        }
        String device = summary.info().device();
        WriterOptions wo =
                WriterOptions.of(width, height)
                        .withDevice(device.isEmpty() ? "dvsflow" : device)
                        .withCompression(c)
                        .withEventsPerPacket(eventsPerPacket);
        long written = 0;
        try (EventReader reader = EventFormats.open(in, options);
                EventWriter writer = EventFormats.writer(out, format, wo)) {
            EventPacket packet = reader.newPacket();
            try (ProgressBar bar = ProgressBar.create("convert", Files.size(in), "B", false)) {
                while (reader.read(packet)) {
                    writer.write(packet);
                    written += packet.size();
                    bar.set(reader.position());
                }
            }
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %,d events (%d x %d) to %s as %s%n",
                        written, width, height, out, format.shortName());
        return 0;
    }
}
