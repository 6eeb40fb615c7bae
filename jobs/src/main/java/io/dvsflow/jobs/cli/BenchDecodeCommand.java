package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dvsflow bench decode FILE}: decode throughput in Mev/s, from memory.
 *
 * <p>The file is read into memory once, then decoded {@code warmup + repeat} times on one thread
 * into a reused packet; the first {@code warmup} runs are discarded. Reported: best and median
 * Mev/s ({@code events / seconds / 1e6}) and the memory floor, a plain 32-bit word sum over the
 * same bytes, expressed as the event rate it would allow.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Decode a recording repeatedly from memory and print events per second (Mev/s), with"
                    + " a plain byte-sum over the same bytes as the memory floor.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow bench decode sample.raw",
            "  ./dvsflow bench decode rec.aedat4 --repeat 50 --json",
        })
final class BenchDecodeCommand implements Callable<Integer> {

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
    Path file;

    @Option(
            names = "--repeat",
            defaultValue = "30",
            paramLabel = "N",
            description = "Measured runs (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--warmup",
            defaultValue = "10",
            paramLabel = "N",
            description = "Discarded warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin ReaderOptionsMixin readerOptions;

    @Override
    public Integer call() throws IOException {
        CliFiles.requireReadable(file);
        if (repeat < 1 || warmup < 0) {
            throw new IllegalArgumentException("--repeat must be >= 1 and --warmup >= 0");
        }
        byte[] bytes = Files.readAllBytes(file);
        ReaderOptions options = readerOptions.toOptions();
        EventFormat format =
                options.format() != null
                        ? options.format()
                        : EventFormats.detect(
                                Arrays.copyOf(bytes, Math.min(bytes.length, 1 << 16)),
                                bytes.length,
                                file.toString());
        long events = 0;
        double[] seconds = new double[repeat];
        EventPacket packet = null;
        for (int r = 0; r < warmup + repeat; r++) {
            long start = System.nanoTime();
            long n = 0;
            try (EventReader reader =
                    EventFormats.open(
                            new ByteArrayInputStream(bytes), file.toString(), format, options)) {
                if (packet == null) {
                    packet = reader.newPacket();
                }
                while (reader.read(packet)) {
                    n += packet.size();
                }
            }
            long elapsed = System.nanoTime() - start;
            events = n;
            if (r >= warmup) {
                seconds[r - warmup] = elapsed / 1e9;
            }
        }
        double[] floor = new double[repeat];
        long sink = 0;
        for (int r = 0; r < warmup + repeat; r++) {
            long start = System.nanoTime();
            sink += wordSum(bytes);
            long elapsed = System.nanoTime() - start;
            if (r >= warmup) {
                floor[r - warmup] = elapsed / 1e9;
            }
        }
        Arrays.sort(seconds);
        Arrays.sort(floor);
        double best = events / seconds[0] / 1e6;
        double median = events / seconds[repeat / 2] / 1e6;
        double floorMev = events / floor[repeat / 2] / 1e6;
        double mbPerS = bytes.length / seconds[repeat / 2] / 1e6;
        if (json) {
            spec.commandLine()
                    .getOut()
                    .println(
                            new JsonObjectWriter()
                                    .put("file", file.toString())
                                    .put("format", format.shortName())
                                    .put("bytes", bytes.length)
                                    .put("events", events)
                                    .put("runs", repeat)
                                    .put("best_mev_s", round(best))
                                    .put("median_mev_s", round(median))
                                    .put("median_mb_s", round(mbPerS))
                                    .put("byte_sum_floor_mev_s", round(floorMev))
                                    .put("checksum", sink & 1));
        } else {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s: %s, %,d bytes, %,d events%n"
                                    + "decode:      best %.1f Mev/s, median %.1f Mev/s (%.0f MB/s),"
                                    + " %d runs after %d warm-up, one thread, from memory%n"
                                    + "memory floor (32-bit word sum over the same bytes): %.0f"
                                    + " Mev/s-equivalent%n",
                            file,
                            format.shortName(),
                            bytes.length,
                            events,
                            best,
                            median,
                            mbPerS,
                            repeat,
                            warmup,
                            floorMev);
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    private static long wordSum(byte[] b) {
        long s = 0;
        int n = b.length & ~3;
        for (int i = 0; i < n; i += 4) {
            s += (int) INT_LE.get(b, i);
        }
        return s;
    }
}
