package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.emulator.DvsEmulator;
import io.dvsflow.connectors.emulator.EmulatorParameters;
import io.dvsflow.connectors.emulator.FrameFolderEmulation;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow emulate frames DIR --fps F --out FILE [--to FORMAT]}: a folder of PNG frames to an
 * event file ({@link FrameFolderEmulation}, {@link EmulatorParameters#defaults()} with the given
 * thresholds).
 */
@Command(
        name = "frames",
        mixinStandardHelpOptions = true,
        description = {
            "Emulate a DVS watching a folder of PNG frames (sorted by name, shown at --fps; grey"
                    + " level = luminance, display gamma 2.2) and write the events in the chosen"
                    + " format. Progress goes to stderr.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow emulate frames frames/ --fps 30 --out video.aedat --to aedat3",
            "  ./dvsflow emulate frames frames/ --fps 1000 --threshold 0.3 --out fast.aedat4"
                    + " --to aedat4",
        })
final class EmulateFramesCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of .png frames.")
    Path dir;

    @Option(names = "--fps", required = true, paramLabel = "F", description = "Frames per second.")
    double fps;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Event file.")
    Path outFile;

    @Option(
            names = "--to",
            defaultValue = "aedat3",
            paramLabel = "FORMAT",
            description = "aedat2 (at most 128x128), aedat3 or aedat4 (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(
            names = "--threshold",
            defaultValue = "0.2",
            paramLabel = "LOG",
            description = "ON and OFF contrast threshold, log units (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such folder");
        }
        EventFormat format = EventFormat.fromShortName(to);
        if (!EventFormats.canWrite(format)) {
            throw new IllegalArgumentException("--to must be aedat2, aedat3 or aedat4");
        }
        List<Path> frames = FrameFolderEmulation.frames(dir);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .png frames");
        }
        int[] size = FrameFolderEmulation.size(frames.get(0));
        EmulatorParameters params =
                EmulatorParameters.defaults().withThresholds(threshold, threshold);
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = new ProgressLine(err, "frames", frames.size());
        DvsEmulator emulator;
        long[] events = new long[1];
        try (EventWriter writer =
                EventFormats.writer(outFile, format, WriterOptions.of(size[0], size[1]))) {
            emulator =
                    new FrameFolderEmulation(params, seed)
                            .run(
                                    dir,
                                    fps,
                                    outFile.getFileName().toString(),
                                    p -> {
                                        events[0] += p.size();
                                        writer.write(p);
                                    },
                                    (done, total) -> progress.update(done, events[0]));
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "wrote %,d events (ON %,d, OFF %,d) from %d frames of %dx%d to %s (%s)%n",
                emulator.onEvents() + emulator.offEvents(),
                emulator.onEvents(),
                emulator.offEvents(),
                frames.size(),
                size[0],
                size[1],
                outFile,
                format.shortName());
        o.flush();
        return 0;
    }
}
