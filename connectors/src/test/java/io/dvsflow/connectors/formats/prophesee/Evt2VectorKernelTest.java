package io.dvsflow.connectors.formats.prophesee;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RealData;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel of {@link Evt2Reader} ({@link Evt2VectorKernel}) against hand-computed values
 * and against the scalar loop on seeded streams built to hit every fallback.
 */
class Evt2VectorKernelTest {

    private static final String VGA_HEADER = "% evt 2.0\n% geometry 640x480\n% end\n";

    private static int cd(int type, int tLow, int x, int y) {
        return type << 28 | tLow << 22 | x << 11 | y;
    }

    private static int timeHigh(int th) {
        return 0x8 << 28 | th;
    }

    @Test
    void theTestJvmRunsTheVectorKernel() throws IOException {
        // surefire adds --add-modules jdk.incubator.vector; without it the other tests here would
        // compare the scalar loop with itself
        assertThat(Evt2Reader.VECTOR_API).isTrue();
        try (Evt2Reader r = reader(Evt2ReaderTest.file(VGA_HEADER), 64)) {
            assertThat(r.vectorized()).isTrue();
            assertThat(r.vectorized(false).vectorized()).isFalse();
        }
    }

    @Test
    void blocksOfEightEventsMatchTheSpec() throws IOException {
        // 12 CD events after TIME_HIGH 2000 (base 2000 * 64 = 128000 µs): t = 128000 + i, x = 10 i,
        // y = 479 - i, polarity i % 3 == 0 -> ON; one vector block of 8, then 4 scalar words
        int[] words = new int[13];
        words[0] = timeHigh(2000);
        for (int i = 0; i < 12; i++) {
            words[i + 1] = cd(i % 3 == 0 ? 1 : 0, i, 10 * i, 479 - i);
        }
        try (Evt2Reader r = reader(Evt2ReaderTest.file(VGA_HEADER, words), 4096)) {
            EventPacket p = r.newPacket();
            assertThat(r.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(12);
            for (int i = 0; i < 12; i++) {
                assertThat(p.t(i)).isEqualTo(128_000L + i);
                assertThat(p.x(i)).isEqualTo(10 * i);
                assertThat(p.y(i)).isEqualTo(479 - i);
                assertThat(p.p(i)).isEqualTo(i % 3 == 0 ? 1 : 0);
            }
            assertThat(r.statistics().onEvents()).isEqualTo(4);
            assertThat(r.statistics().skippedTotal()).isZero();
        }
    }

    @Test
    void aBlockWithTimeSteppingBackIsClampedAsTheScalarLoopDoes() throws IOException {
        // the 5th event's time low (3) is below the 4th's (9): clamped to 128009, counted
        int[] tl = {1, 4, 6, 9, 3, 10, 11, 12, 20};
        int[] words = new int[tl.length + 1];
        words[0] = timeHigh(2000);
        for (int i = 0; i < tl.length; i++) {
            words[i + 1] = cd(1, tl[i], i, i);
        }
        try (Evt2Reader r = reader(Evt2ReaderTest.file(VGA_HEADER, words), 4096)) {
            EventPacket p = r.newPacket();
            assertThat(r.read(p)).isTrue();
            long[] expected = {
                128_001, 128_004, 128_006, 128_009, 128_009, 128_010, 128_011, 128_012, 128_020
            };
            assertThat(java.util.Arrays.copyOf(p.timestamps(), p.size())).containsExactly(expected);
            assertThat(r.statistics().skipped("time_backwards")).isEqualTo(1);
        }
    }

    /** Seeded streams: long in-order runs broken by every kind of word the scalar loop handles. */
    private static byte[] randomStream(long seed, int words) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] w = new int[words];
        int th = 5000;
        int tLow = 0;
        for (int i = 0; i < words; i++) {
            int roll = rnd.nextInt(100);
            if (roll < 3) {
                th += rnd.nextInt(3) - 1 + 1; // mostly forward, sometimes equal
                tLow = 0;
                w[i] = timeHigh(th);
            } else if (roll < 4) {
                w[i] = (0xA + rnd.nextInt(6)) << 28 | rnd.nextInt(1 << 20); // trigger, other
            } else if (roll < 5) {
                w[i] = cd(rnd.nextInt(2), tLow, 640 + rnd.nextInt(1000), rnd.nextInt(480));
            } else if (roll < 6) {
                w[i] = cd(rnd.nextInt(2), tLow, rnd.nextInt(640), 480 + rnd.nextInt(1000));
            } else if (roll < 8) {
                w[i] = cd(rnd.nextInt(2), Math.max(0, tLow - 1 - rnd.nextInt(5)), 1, 1);
            } else {
                if (rnd.nextInt(4) == 0 && tLow < 63) {
                    tLow++;
                }
                w[i] = cd(rnd.nextInt(2), tLow, rnd.nextInt(640), rnd.nextInt(480));
            }
        }
        return Evt2ReaderTest.file(VGA_HEADER, w);
    }

    @Test
    void vectorAndScalarPathsGiveTheSameEventsAndCounters() throws IOException {
        for (long seed = 1; seed <= 6; seed++) {
            byte[] bytes = randomStream(seed, 20_000 + (int) seed * 7);
            for (int cap : new int[] {1, 7, 8, 9, 63, 4096, 65536}) {
                compare(bytes, cap, false);
                compare(bytes, cap, true);
            }
        }
    }

    @Test
    void realSamplesDecodeTheSameOnBothPaths() throws IOException {
        for (String name : new String[] {"expelliarmus_evt2_sample.raw", "faery_evt2.raw"}) {
            Path f = RealData.file(name);
            byte[] bytes = Files.readAllBytes(f);
            compare(bytes, 4096, false);
            compare(bytes, 65536, false);
        }
    }

    private static void compare(byte[] bytes, int capacity, boolean trickle) throws IOException {
        try (Evt2Reader vec = reader(bytes, capacity, trickle);
                Evt2Reader sca = reader(bytes, capacity, trickle).vectorized(false)) {
            EventPacket a = Evt2ReaderTest.readAll(vec, capacity);
            EventPacket b = Evt2ReaderTest.readAll(sca, capacity);
            assertThat(a.size()).isEqualTo(b.size()).isPositive();
            assertThat(a).isEqualTo(b);
            assertThat(vec.statistics().events()).isEqualTo(sca.statistics().events());
            assertThat(vec.statistics().onEvents()).isEqualTo(sca.statistics().onEvents());
            assertThat(vec.statistics().skipped()).isEqualTo(sca.statistics().skipped());
            assertThat(vec.position()).isEqualTo(sca.position());
        }
    }

    private static Evt2Reader reader(byte[] bytes, int capacity) throws IOException {
        return reader(bytes, capacity, false);
    }

    private static Evt2Reader reader(byte[] bytes, int capacity, boolean trickle)
            throws IOException {
        InputStream in = trickle ? new TrickleInputStream(bytes) : new ByteArrayInputStream(bytes);
        return new Evt2Reader(in, "t.raw", ReaderOptions.defaults().withPacketCapacity(capacity));
    }
}
