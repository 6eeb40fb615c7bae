package io.dvsflow.connectors.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DvsEmulatorTest {

    private static final long T0 = 1_000L;
    private static final long T1 = 7_000L;
    private static final long T2 = 13_000L;
    private static final double EPS = 0.001;

    /** Collects every event of every packet (copied, since packets are reused). */
    private static final class Collector implements PacketSink {
        final EventPacket all = new EventPacket("all", 0, 0, 16);
        final List<Integer> packetSizes = new ArrayList<>();

        @Override
        public void accept(EventPacket packet) {
            packetSizes.add(packet.size());
            all.addAll(packet);
        }
    }

    private static float[] single(float v) {
        return new float[] {v};
    }

    /**
     * Threshold that makes 0.1f -> 0.5f a rise of exactly three thresholds: (ln(0.5f + eps) -
     * ln(0.1f + eps)) / 3 (the float inputs, as the emulator sees them).
     */
    private static double threeStepThreshold() {
        return (Math.log(0.5f + EPS) - Math.log(0.1f + EPS)) / 3.0;
    }

    @Test
    void rampOfExactlyThreeThresholdsGivesThreeOnEventsAtInterpolatedTimes() throws IOException {
        double theta = threeStepThreshold();
        DvsEmulator emu =
                new DvsEmulator(1, 1, EmulatorParameters.ideal(theta, theta), 1L, "s", 64);
        Collector c = new Collector();
        emu.process(single(0.1f), T0, c);
        emu.process(single(0.5f), T1, c);
        emu.flush(c);
        // log intensity rises linearly by 3 theta over (T0, T1]: crossing k at T0 + k/3 (T1 - T0)
        long step = (T1 - T0) / 3; // 2000 µs
        EventPacket expected =
                EventPacket.builder("all", 0, 0)
                        .on(T0 + step, 0, 0) // 3000
                        .on(T0 + 2 * step, 0, 0) // 5000
                        .on(T1, 0, 0) // 7000: the last level equals L1 exactly
                        .build();
        assertThat(c.all).isEqualTo(expected);
        assertThat(emu.onEvents()).isEqualTo(3);
    }

    @Test
    void decreasingIntensityGivesOffEventsAndNonIntegerRampsInterpolate() throws IOException {
        double theta = threeStepThreshold();
        DvsEmulator emu =
                new DvsEmulator(1, 1, EmulatorParameters.ideal(theta, theta), 1L, "s", 64);
        Collector c = new Collector();
        emu.process(single(0.1f), T0, c);
        emu.process(single(0.5f), T1, c);
        emu.flush(c);
        c.all.clear();
        // back down by 3 thresholds: OFF at T1 + k/3 (T2 - T1)
        emu.process(single(0.1f), T2, c);
        // then down again by 0.2 log units less than one threshold below: no event
        emu.process(single(0.09f), T2 + 1000, c);
        emu.flush(c);
        long step = (T2 - T1) / 3;
        assertThat(c.all)
                .isEqualTo(
                        EventPacket.builder("all", 0, 0)
                                .off(T1 + step, 0, 0)
                                .off(T1 + 2 * step, 0, 0)
                                .off(T2, 0, 0)
                                .build());

        // ESIM formula on a non-integer ramp, computed here: L0 = ln(0.2 + eps), L1 = ln(0.9 +
        // eps), theta = 0.25, crossings c = L0 + k theta (k = 1, 2, 3 while c <= L1):
        // t = T0 + (c - L0) / (L1 - L0) * (T1 - T0), rounded to the nearest µs
        DvsEmulator emu2 = new DvsEmulator(1, 1, EmulatorParameters.ideal(0.25, 0.25), 1L, "s", 64);
        Collector c2 = new Collector();
        emu2.process(single(0.2f), T0, c2);
        emu2.process(single(0.9f), T1, c2);
        emu2.flush(c2);
        double l0 = Math.log(0.2f + EPS);
        double l1 = Math.log(0.9f + EPS); // L1 - L0 = 1.50..., so 6 crossings
        int n = (int) Math.floor((l1 - l0) / 0.25);
        assertThat(n).isEqualTo(6);
        EventPacket.Builder b = EventPacket.builder("all", 0, 0);
        for (int k = 1; k <= n; k++) {
            b.on(Math.round(T0 + (k * 0.25) / (l1 - l0) * (T1 - T0)), 0, 0);
        }
        assertThat(c2.all).isEqualTo(b.build());
    }

    @Test
    void refractoryPeriodDropsEventsTooCloseToThePreviousOne() throws IOException {
        double theta = threeStepThreshold();
        EmulatorParameters p = EmulatorParameters.ideal(theta, theta).withRefractoryUs(2_500);
        DvsEmulator emu = new DvsEmulator(1, 1, p, 1L, "s", 64);
        Collector c = new Collector();
        emu.process(single(0.1f), T0, c);
        emu.process(single(0.5f), T1, c);
        emu.flush(c);
        // crossings at 3000, 5000, 7000: 5000 - 3000 < 2500 is dropped, 7000 - 3000 >= 2500 kept
        assertThat(c.all)
                .isEqualTo(EventPacket.builder("all", 0, 0).on(3000, 0, 0).on(T1, 0, 0).build());
        assertThat(emu.refractoryDrops()).isEqualTo(1);
    }

    @Test
    void constantImageWithoutNoiseGivesNoEvents() throws IOException {
        for (EmulatorParameters p :
                List.of(
                        EmulatorParameters.ideal(0.2, 0.2),
                        EmulatorParameters.defaults().withNoise(0, 0),
                        EmulatorParameters.defaults().withNoise(0, 0).withLowPass(300, 200))) {
            DvsEmulator emu = new DvsEmulator(16, 16, p, 5L, "s", 64);
            Collector c = new Collector();
            float[] frame = pattern(16, 16, 0.0);
            for (int f = 0; f < 20; f++) {
                emu.process(frame, f * 10_000L, c);
            }
            emu.flush(c);
            assertThat(c.all.size()).as("events of %s", p).isZero();
        }
    }

    @Test
    void sameSeedSameEventsDifferentSeedDifferentNoise() throws IOException {
        EmulatorParameters p = EmulatorParameters.defaults().withNoise(1.0, 5.0);
        EventPacket a = run(p, 11L, 0, 30, 50);
        EventPacket b = run(p, 11L, 0, 30, 50);
        EventPacket c = run(p, 12L, 0, 30, 50);
        assertThat(a.size()).isGreaterThan(100);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        assertSortedByTimeThenPixelThenPolarity(a, 32);
    }

    @Test
    void snapshotAndRestoreMidStreamContinueIdentically() throws IOException {
        EmulatorParameters p =
                EmulatorParameters.defaults().withNoise(2.0, 5.0).withLowPass(200, 500);
        EventPacket whole = run(p, 99L, 0, 20, 7);

        DvsEmulator first = new DvsEmulator(32, 32, p, 99L, "s", 7);
        Collector c = new Collector();
        feed(first, c, 0, 10);
        EmulatorSnapshot snap = first.snapshot();
        // a different seed: everything random must come from the snapshot
        DvsEmulator second = new DvsEmulator(32, 32, p, 12345L, "s", 7);
        second.restore(snap);
        assertThat(second.rngState()).isEqualTo(first.rngState());
        feed(second, c, 10, 20);
        second.flush(c);

        assertThat(c.all.size()).isGreaterThan(50);
        assertThat(c.all).isEqualTo(relabel(whole));
        assertThat(c.packetSizes).allMatch(n -> n <= 7);
    }

    @Test
    void rngStateCaptureAndRestoreRepeatsTheSequence() {
        SplitMix64 r = new SplitMix64(3L);
        r.nextLong();
        long state = r.state();
        double g = r.nextGaussian();
        long l = r.nextLong();
        r.setState(state);
        assertThat(r.nextGaussian()).isEqualTo(g);
        assertThat(r.nextLong()).isEqualTo(l);
        // SplitMix64 reference output for seed 0: mix(0x9E3779B97F4A7C15), published value
        assertThat(new SplitMix64(0L).nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
    }

    @Test
    void leakEventsAreOnAtAboutTheLeakRate() throws IOException {
        EmulatorParameters p = EmulatorParameters.ideal(0.2, 0.2).withNoise(10.0, 0.0);
        DvsEmulator emu = new DvsEmulator(4, 4, p, 8L, "s", 64);
        Collector c = new Collector();
        float[] frame = pattern(4, 4, 0.0);
        for (int f = 0; f <= 100; f++) {
            emu.process(frame, f * 10_000L, c); // 1 s
        }
        emu.flush(c);
        // each pixel leaks R_leak * m_i events per second, m_i = 10^(0.1 N(0,1)) ~ 1: about 160
        assertThat(c.all.size()).isBetween(100, 230);
        for (int i = 0; i < c.all.size(); i++) {
            assertThat(c.all.p(i)).isEqualTo(1);
        }
    }

    @Test
    void shotNoiseCountMatchesRate() throws IOException {
        EmulatorParameters p = EmulatorParameters.ideal(0.2, 0.2).withNoise(0.0, 100.0);
        DvsEmulator emu = new DvsEmulator(8, 8, p, 8L, "s", 256);
        Collector c = new Collector();
        float[] frame = pattern(8, 8, 0.0);
        for (int f = 0; f <= 100; f++) {
            emu.process(frame, f * 10_000L, c);
        }
        emu.flush(c);
        // Poisson with mean 100 Hz * 64 px * 1 s = 6400, sd 80: accept 5 sd
        assertThat(c.all.size()).isBetween(6000, 6800);
        assertThat(emu.shotNoiseEvents()).isEqualTo(c.all.size());
        long on = emu.onEvents();
        assertThat(on).isBetween(2900L, 3500L);
        assertSortedByTimeThenPixelThenPolarity(c.all, 8);
    }

    @Test
    void lowPassDelaysButKeepsTheCrossings() throws IOException {
        double theta = threeStepThreshold() * 3 / 3.5; // a 3.5-threshold step: 3 crossings
        EmulatorParameters ideal = EmulatorParameters.ideal(theta, theta);
        Collector direct = new Collector();
        Collector filtered = new Collector();
        DvsEmulator a = new DvsEmulator(1, 1, ideal, 1L, "s", 64);
        DvsEmulator b = new DvsEmulator(1, 1, ideal.withLowPass(100, 100), 1L, "s", 64);
        for (DvsEmulator emu : List.of(a, b)) {
            Collector c = emu == a ? direct : filtered;
            emu.process(single(0.1f), 0, c);
            emu.process(single(0.5f), 100, c);
            emu.process(single(0.5f), 100_000, c);
            emu.flush(c);
        }
        assertThat(direct.all.size()).isEqualTo(3);
        assertThat(filtered.all.size()).isEqualTo(3);
        assertThat(direct.all.lastTimestamp()).isLessThanOrEqualTo(100);
        // tau = 1/(2 pi 100 Hz) = 1.59 ms, scaled by 275/(127.5+20) at full input: ~0.85 ms
        assertThat(filtered.all.firstTimestamp()).isGreaterThan(100);
        assertThat(filtered.all.lastTimestamp()).isBetween(1_000L, 10_000L);
    }

    @Test
    void rejectsBadFramesAndParameters() throws IOException {
        DvsEmulator emu = new DvsEmulator(2, 2, EmulatorParameters.defaults(), 1L, "s", 8);
        Collector c = new Collector();
        assertThatThrownBy(() -> emu.process(new float[3], 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2x2");
        assertThatThrownBy(() -> emu.process(new float[] {0, 0, Float.NaN, 0}, 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pixel (0, 1)");
        emu.process(new float[4], 10, c);
        assertThatThrownBy(() -> emu.process(new float[4], 10, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frame time 10");
        assertThatThrownBy(() -> EmulatorParameters.defaults().withThresholds(-0.1, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thresholdOn");
        assertThatThrownBy(() -> EmulatorParameters.defaults().withNoise(Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leakRateHz");
        assertThatThrownBy(
                        () -> new DvsEmulator(5000, 5000, EmulatorParameters.defaults(), 1, "s", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
    }

    // --- fixtures ---

    /** A smooth pattern (0.05..0.95) shifted by {@code phase} pixels. */
    private static float[] pattern(int w, int h, double phase) {
        float[] f = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.5 + 0.45 * Math.sin((x + phase) * 0.7) * Math.cos(y * 0.5);
                f[y * w + x] = (float) v;
            }
        }
        return f;
    }

    private static void feed(DvsEmulator emu, PacketSink sink, int from, int to)
            throws IOException {
        for (int f = from; f < to; f++) {
            emu.process(pattern(emu.width(), emu.height(), f * 0.3), f * 5_000L, sink);
        }
    }

    private static EventPacket run(EmulatorParameters p, long seed, int from, int to, int capacity)
            throws IOException {
        DvsEmulator emu = new DvsEmulator(32, 32, p, seed, "s", capacity);
        Collector c = new Collector();
        feed(emu, c, from, to);
        emu.flush(c);
        return c.all;
    }

    private static EventPacket relabel(EventPacket p) {
        EventPacket q = new EventPacket("all", 0, 0, p.size());
        q.addAll(p);
        return q;
    }

    private static void assertSortedByTimeThenPixelThenPolarity(EventPacket e, int width) {
        for (int i = 1; i < e.size(); i++) {
            long a = e.t(i - 1);
            long b = e.t(i);
            assertThat(b).isGreaterThanOrEqualTo(a);
            if (a == b) {
                int pa = e.y(i - 1) * width + e.x(i - 1);
                int pb = e.y(i) * width + e.x(i);
                assertThat(pb).isGreaterThanOrEqualTo(pa);
                if (pa == pb) {
                    assertThat(e.p(i)).isGreaterThanOrEqualTo(e.p(i - 1));
                }
            }
        }
    }
}
