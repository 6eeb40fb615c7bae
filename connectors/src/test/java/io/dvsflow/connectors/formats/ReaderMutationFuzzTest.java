package io.dvsflow.connectors.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutation fuzzing: every reader runs over damaged copies of valid files and may only finish
 * normally or throw an {@link EventFormatException} that names the source. Anything else (an {@code
 * OutOfMemoryError}, an {@code ArrayIndexOutOfBoundsException}, a runaway decode, a hang) fails the
 * test with the seed and mutation that caused it.
 *
 * <p>Seeds: files written by dvsflow's writers (AEDAT 2.0, 3.1, 4.0 in three compressions), files
 * hand-encoded here word by word (EVT 2.0, EVT 3.0, DAT, N-MNIST, AEDAT 1.0), and the first 256 KiB
 * of each real recording when ../shared is present.
 */
class ReaderMutationFuzzTest {

    private static final int MUTATIONS_PER_SEED = 250;
    private static final long SEED = 0x5EEDL;

    record Seed(String name, EventFormat format, byte[] bytes) {
        @Override
        public String toString() {
            return name + " (" + format.shortName() + ", " + bytes.length + " bytes)";
        }
    }

    static Stream<Arguments> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        EventPacket events = randomEvents(random, 3000, 128, 128);
        seeds.add(
                new Seed(
                        "written.aedat2",
                        EventFormat.AEDAT2,
                        written(EventFormat.AEDAT2, events, WriterOptions.Compression.NONE)));
        seeds.add(
                new Seed(
                        "written.aedat3",
                        EventFormat.AEDAT3,
                        written(EventFormat.AEDAT3, events, WriterOptions.Compression.NONE)));
        for (WriterOptions.Compression c : WriterOptions.Compression.values()) {
            seeds.add(
                    new Seed(
                            "written-" + c + ".aedat4",
                            EventFormat.AEDAT4,
                            written(EventFormat.AEDAT4, events, c)));
        }
        seeds.add(new Seed("hand.aedat1", EventFormat.AEDAT1, aedat1(random)));
        seeds.add(new Seed("hand-evt2.raw", EventFormat.EVT2, evt2(random)));
        seeds.add(new Seed("hand-evt3.raw", EventFormat.EVT3, evt3(random)));
        seeds.add(new Seed("hand.dat", EventFormat.DAT, dat(random)));
        seeds.add(new Seed("hand.bin", EventFormat.NMNIST, nmnist(random)));
        Path real = Path.of(System.getProperty("dvsflow.shared", "../shared"), "data", "real");
        if (Files.isDirectory(real)) {
            try (Stream<Path> files = Files.list(real)) {
                for (Path f : files.sorted().toList()) {
                    if (f.getFileName().toString().endsWith(".md")) {
                        continue;
                    }
                    byte[] all = Files.readAllBytes(f);
                    byte[] head = Arrays.copyOf(all, Math.min(all.length, 256 * 1024));
                    seeds.add(new Seed(f.getFileName().toString(), EventFormats.detect(f), head));
                }
            }
        }
        return seeds.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void damagedCopiesGiveOnlyDocumentedOutcomes(Seed seed) {
        // the undamaged seed decodes (a truncated real-file head may end in a format error)
        outcome(seed, seed.bytes(), "original", true);
        SplittableRandom random = new SplittableRandom(SEED ^ seed.name().hashCode());
        for (int m = 0; m < MUTATIONS_PER_SEED; m++) {
            byte[] damaged = seed.bytes().clone();
            String what = mutate(random, damaged, seed.bytes().length);
            byte[] input = what.startsWith("truncate") ? truncate(random, damaged) : damaged;
            outcome(seed, input, "mutation " + m + " (" + what + ")", false);
        }
    }

    private static void outcome(Seed seed, byte[] input, String what, boolean original) {
        String source = seed.name() + "#" + what;
        long events = 0;
        int reads = 0;
        try (EventReader reader =
                EventFormats.open(
                        new ByteArrayInputStream(input),
                        source,
                        seed.format(),
                        ReaderOptions.defaults().withPacketCapacity(997))) {
            EventPacket packet = reader.newPacket();
            RecordingInfo info = reader.info();
            while (reader.read(packet)) {
                assertThat(packet.size()).isBetween(1, 997);
                events += packet.size();
                reads++;
                for (int i = 0; i < packet.size(); i++) {
                    int p = packet.polarities()[i];
                    if (p != 0 && p != 1) {
                        fail(source + ": polarity " + p);
                    }
                    if (info.width() > 0
                            && (packet.xs()[i] < 0
                                    || packet.xs()[i] >= info.width()
                                    || packet.ys()[i] < 0
                                    || packet.ys()[i] >= info.height())) {
                        fail(source + ": event outside " + info.width() + "x" + info.height());
                    }
                }
                // a runaway decoder (no progress through the input) trips this bound
                if (events > 64L * input.length + 1_000_000L || reads > 10 * input.length + 1000) {
                    fail(
                            source
                                    + ": runaway decode, "
                                    + events
                                    + " events from "
                                    + input.length
                                    + " bytes");
                }
            }
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).as(source).contains(source);
        } catch (IOException e) {
            fail(source + ": undocumented IOException " + e, e);
        } catch (Throwable e) {
            fail(source + ": undocumented outcome " + e, e);
        }
    }

    private static String mutate(SplittableRandom r, byte[] b, int length) {
        int kind = r.nextInt(6);
        int pos = r.nextInt(length);
        switch (kind) {
            case 0 -> {
                int bits = 1 + r.nextInt(8);
                for (int i = 0; i < bits; i++) {
                    int p = r.nextInt(length);
                    b[p] ^= (byte) (1 << r.nextInt(8));
                }
                return "flip " + bits + " bits";
            }
            case 1 -> {
                int n = 1 + r.nextInt(16);
                for (int i = 0; i < n && pos + i < length; i++) {
                    b[pos + i] = (byte) r.nextInt(256);
                }
                return "random bytes at " + pos;
            }
            case 2 -> {
                int[] hostile = {0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0x7FFFFFF0, 0x10000000};
                int v = hostile[r.nextInt(hostile.length)];
                int p = Math.min(pos & ~3, Math.max(0, length - 4));
                ByteBuffer.wrap(b)
                        .order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                        .putInt(p, v);
                return "hostile int " + Integer.toHexString(v) + " at " + p;
            }
            case 3 -> {
                int n = Math.min(length - pos, 1 + r.nextInt(64));
                Arrays.fill(b, pos, pos + n, (byte) 0);
                return "zero " + n + " bytes at " + pos;
            }
            case 4 -> {
                int n = Math.min(length - pos, 1 + r.nextInt(64));
                int src = r.nextInt(length - n + 1);
                System.arraycopy(b.clone(), src, b, pos, n);
                return "copy " + n + " bytes from " + src + " to " + pos;
            }
            default -> {
                return "truncate";
            }
        }
    }

    private static byte[] truncate(SplittableRandom r, byte[] b) {
        return Arrays.copyOf(b, r.nextInt(b.length));
    }

    static EventPacket randomEvents(SplittableRandom r, int n, int width, int height) {
        EventPacket p = new EventPacket("fuzz", width, height, n);
        long t = 1_000;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(50);
            p.add(t, r.nextInt(width), r.nextInt(height), r.nextInt(2));
        }
        return p;
    }

    private static byte[] written(EventFormat f, EventPacket events, WriterOptions.Compression c)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventWriter w =
                EventFormats.writer(
                        out,
                        f,
                        WriterOptions.of(128, 128)
                                .withDevice("DVS128")
                                .withCompression(c)
                                .withEventsPerPacket(500))) {
            w.write(events);
        }
        return out.toByteArray();
    }

    /** AEDAT 1.0: version line, then big-endian int16 address (DVS128) and int32 timestamp. */
    private static byte[] aedat1(SplittableRandom r) {
        byte[] header = "#!AER-DAT1.0\r\n# hand-made\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(header.length + 6 * 1000).order(ByteOrder.BIG_ENDIAN);
        b.put(header);
        int t = 100;
        for (int i = 0; i < 1000; i++) {
            int address = (r.nextInt(128) << 8) | (r.nextInt(128) << 1) | r.nextInt(2);
            b.putShort((short) address).putInt(t += r.nextInt(20));
        }
        return b.array();
    }

    /** EVT 2.0: a TIME_HIGH word (type 0x8) every 64 us, CD_ON/CD_OFF words between. */
    private static byte[] evt2(SplittableRandom r) {
        byte[] header =
                "% evt 2.0\n% geometry 640x480\n% end\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(header.length + 4 * 4000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        long t = 0;
        for (int i = 0; i < 4000; i++) {
            if (i % 20 == 0) {
                t += 64;
                b.putInt((0x8 << 28) | (int) ((t >> 6) & 0x0FFFFFFF));
            } else {
                int type = r.nextInt(2);
                int low = r.nextInt(64);
                b.putInt((type << 28) | (low << 22) | (r.nextInt(640) << 11) | r.nextInt(480));
            }
        }
        return b.array();
    }

    /** EVT 3.0: TIME_HIGH, TIME_LOW, ADDR_Y, ADDR_X and VECT_BASE_X + VECT_12 + VECT_8 words. */
    private static byte[] evt3(SplittableRandom r) {
        byte[] header =
                "% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(header.length + 2 * 8000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        int th = 0;
        int tl = 0;
        for (int i = 0; i < 1000; i++) {
            tl += 1 + r.nextInt(30);
            if (tl >= 4096) {
                tl -= 4096;
                th++;
                b.putShort((short) ((0x8 << 12) | (th & 0xFFF)));
            }
            b.putShort((short) ((0x6 << 12) | tl));
            b.putShort((short) (r.nextInt(720)));
            if (r.nextBoolean()) {
                b.putShort((short) ((0x2 << 12) | (r.nextInt(2) << 11) | r.nextInt(1280)));
            } else {
                b.putShort((short) ((0x3 << 12) | (r.nextInt(2) << 11) | r.nextInt(1200)));
                b.putShort((short) ((0x4 << 12) | r.nextInt(4096)));
                b.putShort((short) ((0x5 << 12) | r.nextInt(256)));
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** DAT v2: header, type 0x0C, size 8, then (uint32 t, uint32 x | y << 14 | p << 28). */
    private static byte[] dat(SplittableRandom r) {
        byte[] header =
                "% Data file containing CD events.\n% Version 2\n% Width 304\n% Height 240\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b =
                ByteBuffer.allocate(header.length + 2 + 8 * 2000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header).put((byte) 0x0C).put((byte) 8);
        int t = 0;
        for (int i = 0; i < 2000; i++) {
            b.putInt(t += r.nextInt(10));
            b.putInt(r.nextInt(304) | (r.nextInt(240) << 14) | (r.nextInt(2) << 28));
        }
        return b.array();
    }

    /** N-MNIST: x, y, p << 7 | t >> 16, t >> 8, t (23-bit timestamp). */
    private static byte[] nmnist(SplittableRandom r) {
        byte[] b = new byte[5 * 2000];
        int t = 0;
        for (int i = 0; i < 2000; i++) {
            t += r.nextInt(100);
            int o = 5 * i;
            b[o] = (byte) r.nextInt(34);
            b[o + 1] = (byte) r.nextInt(34);
            b[o + 2] = (byte) ((r.nextInt(2) << 7) | ((t >> 16) & 0x7F));
            b[o + 3] = (byte) (t >> 8);
            b[o + 4] = (byte) t;
        }
        return b;
    }
}
