package io.dvsflow.benchmarks;

import io.dvsflow.operators.binning.BinnerConfig;
import io.dvsflow.operators.binning.FrameKind;
import io.dvsflow.operators.binning.WindowAccumulator;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The binning kernel of {@code EventBinner}: 10 M events (1 Mev/s, 10 s) into 2 x 128 x 128
 * polarity-count frames of 10 ms windows, in packets of 65,536 events, the per-event work the
 * operator does (window start, pixel index, accumulate) without Flink state. Compare with tonic's
 * {@code ToFrame} (20 Mev/s) and numpy {@code bincount} (131 Mev/s) measured on this machine
 * (docs/performance.md). Score: invocations/s; events/s = score x 10 M.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class BinnerBenchmark {

    private static final int EVENTS = 10_000_000;
    private static final int PACKET = 1 << 16;

    private EventPacket[] packets;
    private WindowAccumulator acc;
    private float[][] frames;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(3);
        packets = new EventPacket[(EVENTS + PACKET - 1) / PACKET];
        long t = 0;
        for (int k = 0; k < packets.length; k++) {
            EventPacket p = new EventPacket("bench", 128, 128, PACKET);
            for (int i = 0; i < PACKET && k * PACKET + i < EVENTS; i++) {
                t += 1;
                p.add(t, r.nextInt(128), r.nextInt(128), r.nextInt(2));
            }
            packets[k] = p;
        }
        acc =
                new WindowAccumulator(
                        BinnerConfig.of(Duration.ofMillis(10), FrameKind.COUNTS, 128, 128));
        frames = new float[EVENTS / 10_000 + 2][];
    }

    /** Bins all 10 M events; returns the number of windows touched. */
    @Benchmark
    public int bin() {
        long dt = acc.windowUs();
        int windows = 0;
        float[] current = null;
        long currentStart = Long.MIN_VALUE / 2;
        for (EventPacket packet : packets) {
            long[] t = packet.timestamps();
            short[] xs = packet.xs();
            short[] ys = packet.ys();
            byte[] ps = packet.polarities();
            for (int i = 0, n = packet.size(); i < n; i++) {
                int pixel = acc.pixel(xs[i], ys[i]);
                if (pixel < 0) {
                    continue;
                }
                long ti = t[i];
                if (ti < currentStart || ti - currentStart >= dt) {
                    long start = acc.windowStart(ti);
                    int slot = (int) (start / dt);
                    if (frames[slot] == null) {
                        frames[slot] = new float[acc.frameLength()];
                    }
                    current = frames[slot];
                    currentStart = start;
                    windows++;
                }
                acc.add(current, pixel, ps[i]);
            }
        }
        return windows;
    }
}
