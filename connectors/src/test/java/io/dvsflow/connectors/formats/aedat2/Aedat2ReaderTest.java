package io.dvsflow.connectors.formats.aedat2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.formats.Aedat2Layout;
import io.dvsflow.connectors.formats.ApsFrame;
import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Aedat2ReaderTest {

    private static final String V2_CRLF =
            "#!AER-DAT2.0\r\n"
                    + "# This is a raw AE data file - do not edit\r\n"
                    + "# Data format is int32 address, int32 timestamp (8 bytes total)\r\n"
                    + "# Timestamps tick is 1 us\r\n";

    private static final String DAVIS240_LF =
            "#!AER-DAT2.0\n"
                    + "# Timestamps tick: 1 us\n"
                    + "# Creation time: System.currentTimeMillis() 1695355587880\n"
                    + "# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C\n";

    private static final ReaderOptions DEFAULTS = ReaderOptions.defaults();

    /** A file: header text, then big-endian records written by {@link DataOutputStream}. */
    private static final class FileBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);

        FileBuilder(String header) throws IOException {
            data.write(header.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A 2.0 record: int32 address, int32 timestamp. */
        FileBuilder event(int address, int timestamp) throws IOException {
            data.writeInt(address);
            data.writeInt(timestamp);
            return this;
        }

        /** A 1.0 record: int16 address, int32 timestamp. */
        FileBuilder event16(int address, int timestamp) throws IOException {
            data.writeShort(address);
            data.writeInt(timestamp);
            return this;
        }

        FileBuilder raw(byte... b) throws IOException {
            data.write(b);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static Aedat2Reader open(byte[] file, ReaderOptions options) throws IOException {
        return new Aedat2Reader(new ByteArrayInputStream(file), "test.aedat", options);
    }

    /** Reads every event into one packet. */
    private static EventPacket readAll(EventReader reader) throws IOException {
        EventPacket all = new EventPacket("all", 0, 0, 16);
        EventPacket packet = reader.newPacket();
        while (reader.read(packet)) {
            assertThat(packet.size()).isPositive().isLessThanOrEqualTo(packet.capacity());
            assertThat(packet.width()).isEqualTo(reader.info().width());
            assertThat(packet.height()).isEqualTo(reader.info().height());
            all.addAll(packet);
        }
        assertThat(packet.size()).isZero();
        return all;
    }

    @Test
    void decodesHandEncodedDvs128Words() throws IOException {
        byte[] file =
                new FileBuilder(V2_CRLF)
                        // x=5, y=10, ON: (10 << 8) | (5 << 1) | 1 = 0x0A00 | 0x0A | 1 = 0x0A0B
                        .event(0x0A0B, 1_000)
                        // x=127, y=127, OFF: (127 << 8) | (127 << 1) | 0 = 0x7F00 | 0xFE = 0x7FFE
                        .event(0x7FFE, 2_000)
                        // x=0, y=0, ON: 0x0001
                        .event(0x0001, 2_000)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            assertThat(reader.info().format()).isEqualTo(EventFormat.AEDAT2);
            assertThat(reader.info().version()).isEqualTo("2.0");
            assertThat(reader.info().width()).isEqualTo(128);
            assertThat(reader.info().height()).isEqualTo(128);
            assertThat(reader.info().metadata()).containsEntry("layout", "DVS128");
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(3);
            assertEvent(p, 0, 1_000, 5, 10, 1);
            assertEvent(p, 1, 2_000, 127, 127, 0);
            assertEvent(p, 2, 2_000, 0, 0, 1);
            assertThat(reader.statistics().events()).isEqualTo(3);
            assertThat(reader.statistics().onEvents()).isEqualTo(2);
            assertThat(reader.statistics().skippedTotal()).isZero();
            assertThat(reader.position()).isEqualTo(file.length);
        }
    }

    @Test
    void decodesHandEncodedDavisWordsAndCountsSkips() throws IOException {
        byte[] file =
                new FileBuilder(DAVIS240_LF)
                        // x=239, y=179, ON: (179 << 22) | (239 << 12) | (1 << 11)
                        //   = 0x2CC00000 | 0x000EF000 | 0x800 = 0x2CCEF800
                        .event(0x2CCE_F800, 10)
                        // IMU word: bit 31 and bits 11..10 = 3: 0x80000C00
                        .event(0x8000_0C00, 11)
                        // APS sample: bit 31, bits 11..10 = 0
                        .event(0x8000_0000, 12)
                        // APS sample: bit 31, bits 11..10 = 1 (not both set -> not IMU)
                        .event(0x8000_0400, 12)
                        // external input: bit 31 clear, bit 10 set
                        .event(0x0000_0400, 13)
                        // x=240 (outside 240 wide): 240 << 12 = 0xF0000
                        .event(0x000F_0000, 14)
                        // y=180 (outside 180 high): 180 << 22 = 0x2D000000
                        .event(0x2D00_0000, 15)
                        // x=100, y=50, ON: (50 << 22) | (100 << 12) | (1 << 11) = 0x0C864800
                        .event(0x0C86_4800, 20)
                        // x=0, y=0, OFF
                        .event(0x0000_0000, 30)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            assertThat(reader.info().device()).isEqualTo("DAVIS240C");
            assertThat(reader.info().width()).isEqualTo(240);
            assertThat(reader.info().height()).isEqualTo(180);
            assertThat(reader.info().metadata())
                    .containsEntry("creation_time_ms", "1695355587880")
                    .containsEntry("aechip", "eu.seebetter.ini.chips.davis.DAVIS240C")
                    .containsEntry("layout", "DAVIS")
                    .containsEntry("timestamp_tick_us", "1");
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(3);
            assertEvent(p, 0, 10, 239, 179, 1);
            assertEvent(p, 1, 20, 100, 50, 1);
            assertEvent(p, 2, 30, 0, 0, 0);
            assertThat(reader.statistics().skipped("imu")).isEqualTo(1);
            assertThat(reader.statistics().skipped("aps")).isEqualTo(2);
            assertThat(reader.statistics().skipped("external")).isEqualTo(1);
            assertThat(reader.statistics().skipped("out_of_bounds")).isEqualTo(2);
            assertThat(reader.statistics().onEvents()).isEqualTo(2);
        }
    }

    @Test
    void lfAndCrlfHeadersGiveTheSameEvents() throws IOException {
        String crlf = DAVIS240_LF.replace("\n", "\r\n");
        byte[] a = new FileBuilder(DAVIS240_LF).event(0x0C86_4800, 20).bytes();
        byte[] b = new FileBuilder(crlf).event(0x0C86_4800, 20).bytes();
        try (Aedat2Reader ra = open(a, DEFAULTS);
                Aedat2Reader rb = open(b, DEFAULTS)) {
            assertThat(rb.info()).isEqualTo(withHeaderBytes(ra, b.length - 8));
            EventPacket pa = readAll(ra);
            EventPacket pb = readAll(rb);
            assertThat(pa.size()).isEqualTo(1);
            assertThat(pb).isEqualTo(pa);
        }
    }

    private static io.dvsflow.connectors.formats.RecordingInfo withHeaderBytes(
            Aedat2Reader r, int headerBytes) {
        var m = new java.util.HashMap<>(r.info().metadata());
        m.put("header_bytes", Integer.toString(headerBytes));
        var i = r.info();
        return new io.dvsflow.connectors.formats.RecordingInfo(
                i.format(), i.version(), i.width(), i.height(), i.device(), m);
    }

    @Test
    void readsVersion1SixByteRecordsWithAndWithoutVersionLine() throws IOException {
        for (String header : new String[] {"#!AER-DAT1.0\r\n# old file\r\n", "# no version\n"}) {
            byte[] file =
                    new FileBuilder(header)
                            // x=3, y=4, OFF: (4 << 8) | (3 << 1) = 0x0406
                            .event16(0x0406, 7)
                            // external: bit 15 set: 0x8000 | 0x0406 = 0x8406
                            .event16(0x8406, 8)
                            // x=64, y=1, ON: (1 << 8) | (64 << 1) | 1 = 0x0181
                            .event16(0x0181, 9)
                            .bytes();
            try (Aedat2Reader reader = open(file, DEFAULTS)) {
                assertThat(reader.info().format()).isEqualTo(EventFormat.AEDAT1);
                assertThat(reader.info().version()).isEqualTo("1.0");
                EventPacket p = readAll(reader);
                assertThat(p.size()).isEqualTo(2);
                assertEvent(p, 0, 7, 3, 4, 0);
                assertEvent(p, 1, 9, 64, 1, 1);
                assertThat(reader.statistics().skipped("external")).isEqualTo(1);
                assertThat(reader.position()).isEqualTo(file.length);
            }
        }
    }

    @Test
    void detectionOpensThisReaderForVersions1And2() throws IOException {
        byte[] v1 = new FileBuilder("# no version\n").event16(0x0406, 7).bytes();
        byte[] v2 = new FileBuilder(V2_CRLF).event(0x0406, 7).bytes();
        EventFormat f1 = EventFormats.detect(v1, v1.length, "v1");
        EventFormat f2 = EventFormats.detect(v2, v2.length, "v2");
        assertThat(f1).isEqualTo(EventFormat.AEDAT1);
        assertThat(f2).isEqualTo(EventFormat.AEDAT2);
        try (EventReader r1 = EventFormats.open(new ByteArrayInputStream(v1), "v1", f1, DEFAULTS);
                EventReader r2 =
                        EventFormats.open(new ByteArrayInputStream(v2), "v2", f2, DEFAULTS)) {
            EventPacket a = readAll(r1);
            EventPacket b = readAll(r2);
            assertEvent(a, 0, 7, 3, 4, 0);
            assertEvent(b, 0, 7, 3, 4, 0);
            assertThat(r1.streamId()).isEqualTo("v1");
        }
    }

    @Test
    void forcedAedat2FormatReadsEightByteRecordsWithoutVersionLine() throws IOException {
        byte[] file = new FileBuilder("# no version\n").event(0x0406, 7).bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS.withFormat(EventFormat.AEDAT2))) {
            assertThat(reader.info().version()).isEqualTo("2.0");
            assertEvent(readAll(reader), 0, 7, 3, 4, 0);
        }
    }

    @Test
    void readsPastAHeaderOfSeveralHundredKilobytes() throws IOException {
        StringBuilder header = new StringBuilder(DAVIS240_LF.replace("\n", "\r\n"));
        header.append("#Start of Preferences for this AEChip\r\n");
        while (header.length() < 400_000) {
            header.append("#<entry key=\"some.pref\" value=\"").append(header.length());
            header.append("\"/>\r\n");
        }
        header.append("#End of Preferences for this AEChip\r\n");
        byte[] file = new FileBuilder(header.toString()).event(0x0C86_4800, 20).bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            assertThat(reader.info().metadata())
                    .containsEntry("header_bytes", Integer.toString(header.length()));
            EventPacket p = readAll(reader);
            assertEvent(p, 0, 20, 100, 50, 1);
        }
    }

    @Test
    void firstEventStartingWithHashIsNotTakenForAHeaderLine() throws IOException {
        // DAVIS x=1, y=140, OFF: (140 << 22) | (1 << 12) = 0x23000000 | 0x1000 = 0x23001000;
        // its first byte is 0x23 = '#', its timestamp bytes 00 00 00 05 are control characters
        byte[] davis =
                new FileBuilder(DAVIS240_LF).event(0x2300_1000, 5).event(0x0C86_4800, 6).bytes();
        try (Aedat2Reader reader = open(davis, DEFAULTS)) {
            assertThat(reader.info().metadata())
                    .containsEntry("header_bytes", Integer.toString(DAVIS240_LF.length()));
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(2);
            assertEvent(p, 0, 5, 1, 140, 0);
        }
        // DVS128 1.0, x=32, y=35, OFF: (35 << 8) | (32 << 1) = 0x2300 | 0x40 = 0x2340
        byte[] v1 = new FileBuilder("# v1\r\n").event16(0x2340, 7).bytes();
        try (Aedat2Reader reader = open(v1, DEFAULTS)) {
            assertEvent(readAll(reader), 0, 7, 32, 35, 0);
        }
    }

    @Test
    void unwrapsThe32BitTimestamp() throws IOException {
        byte[] file =
                new FileBuilder(V2_CRLF)
                        // signed int32 max then min: continuous when read as unsigned
                        .event(0x0A0B, 0x7FFF_FFFF)
                        .event(0x0A0B, 0x8000_0000)
                        .event(0x0A0B, 0xFFFF_FF00)
                        // raw drops by 0xFFFFFEF0 > 2^30: a wrap, t = 2^32 + 0x10
                        .event(0x0A0B, 0x0000_0010)
                        .event(0x0A0B, 0x0000_0020)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(5);
            assertThat(p.t(0)).isEqualTo(2_147_483_647L);
            assertThat(p.t(1)).isEqualTo(2_147_483_648L);
            assertThat(p.t(2)).isEqualTo(4_294_967_040L);
            assertThat(p.t(3)).isEqualTo(4_294_967_296L + 16);
            assertThat(p.t(4)).isEqualTo(4_294_967_296L + 32);
            assertThat(reader.statistics().skipped("time_backwards")).isZero();
        }
    }

    @Test
    void clampsSmallBackwardsStepsAndCountsThem() throws IOException {
        int quarter = 1 << 30; // 2^30 us, the wrap threshold
        byte[] file =
                new FileBuilder(V2_CRLF)
                        .event(0x0A0B, 1_000)
                        .event(0x0A0B, 900) // back by 100: clamped to 1000
                        .event(0x0A0B, 1_100)
                        .event(0x0A0B, quarter + 1_105)
                        // back by exactly 2^30: not a wrap, clamped
                        .event(0x0A0B, 1_105)
                        .event(0x0A0B, quarter + 1_200)
                        // back by 2^30 + 1: a wrap, t = 2^32 + 1_199
                        .event(0x0A0B, 1_199)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(7);
            assertThat(p.t(0)).isEqualTo(1_000);
            assertThat(p.t(1)).isEqualTo(1_000);
            assertThat(p.t(2)).isEqualTo(1_100);
            assertThat(p.t(3)).isEqualTo(quarter + 1_105L);
            assertThat(p.t(4)).isEqualTo(quarter + 1_105L);
            assertThat(p.t(5)).isEqualTo(quarter + 1_200L);
            assertThat(p.t(6)).isEqualTo((1L << 32) + 1_199);
            assertThat(reader.statistics().skipped("time_backwards")).isEqualTo(2);
            assertThat(reader.statistics().events()).isEqualTo(7);
        }
    }

    @Test
    void scalesTimestampsByTheTick() throws IOException {
        byte[] file =
                new FileBuilder("#!AER-DAT2.0\n# Timestamps tick is 10 us\n")
                        .event(0x0A0B, 3)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            assertThat(reader.info().metadata()).containsEntry("timestamp_tick_us", "10");
            assertThat(readAll(reader).t(0)).isEqualTo(30);
        }
    }

    @Test
    void flipsMirrorCoordinates() throws IOException {
        // DVS128: x=5, y=10, ON = 0x0A0B -> flipX: 127 - 5 = 122; flipY: 127 - 10 = 117
        byte[] dvs = new FileBuilder(V2_CRLF).event(0x0A0B, 1).bytes();
        try (Aedat2Reader reader = open(dvs, DEFAULTS.withFlipX(true))) {
            assertEvent(readAll(reader), 0, 1, 122, 10, 1);
        }
        try (Aedat2Reader reader = open(dvs, DEFAULTS.withFlipY(true))) {
            assertEvent(readAll(reader), 0, 1, 5, 117, 1);
        }
        // DAVIS240: x=239, y=179 -> flipped: 240 - 1 - 239 = 0, 180 - 1 - 179 = 0
        byte[] davis = new FileBuilder(DAVIS240_LF).event(0x2CCE_F800, 1).bytes();
        try (Aedat2Reader reader = open(davis, DEFAULTS.withFlipX(true).withFlipY(true))) {
            assertEvent(readAll(reader), 0, 1, 0, 0, 1);
        }
    }

    @Test
    void polarityConventionIsAnOption() throws IOException {
        byte[] dvs =
                new FileBuilder(V2_CRLF)
                        .event(0x0A0B, 1) // raw bit 0 = 1
                        .event(0x0A0A, 2) // raw bit 0 = 0
                        .bytes();
        try (Aedat2Reader reader = open(dvs, DEFAULTS.withRawOneIsOn(false))) {
            EventPacket p = readAll(reader);
            assertEvent(p, 0, 1, 5, 10, 0);
            assertEvent(p, 1, 2, 5, 10, 1);
            assertThat(reader.statistics().onEvents()).isEqualTo(1);
        }
        // DAVIS: raw bit 11 = 1 (0x0C864800) is OFF with rawOneIsOn=false
        byte[] davis = new FileBuilder(DAVIS240_LF).event(0x0C86_4800, 1).bytes();
        try (Aedat2Reader reader = open(davis, DEFAULTS.withRawOneIsOn(false))) {
            assertEvent(readAll(reader), 0, 1, 100, 50, 0);
        }
    }

    @Test
    void dvs128CountsSpecialAndExternalWords() throws IOException {
        byte[] file =
                new FileBuilder(V2_CRLF)
                        .event(0x8000_0A0B, 1) // bit 31: special
                        .event(0x0000_8A0B, 2) // bit 15: external
                        .event(0x0000_0A0B, 3)
                        .bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            EventPacket p = readAll(reader);
            assertThat(p.size()).isEqualTo(1);
            assertEvent(p, 0, 3, 5, 10, 1);
            assertThat(reader.statistics().skipped("special")).isEqualTo(1);
            assertThat(reader.statistics().skipped("external")).isEqualTo(1);
        }
    }

    @Test
    void autoLayoutFollowsTheAeChipLine() throws IOException {
        // 0x0C864800 under DVS128 rules: bit 15 clear; x = (0x4800 >> 1) & 0x7F = 0,
        // y = (0x4800 >> 8) & 0x7F = 0x48 = 72, p = 0
        byte[] noChip = new FileBuilder(V2_CRLF).event(0x0C86_4800, 1).bytes();
        try (Aedat2Reader reader = open(noChip, DEFAULTS)) {
            assertThat(reader.info().device()).isEmpty();
            assertEvent(readAll(reader), 0, 1, 0, 72, 0);
        }
        byte[] dvs128 =
                new FileBuilder(V2_CRLF + "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n")
                        .event(0x0C86_4800, 1)
                        .bytes();
        try (Aedat2Reader reader = open(dvs128, DEFAULTS)) {
            assertThat(reader.info().device()).isEqualTo("DVS128");
            assertEvent(readAll(reader), 0, 1, 0, 72, 0);
        }
        // forcing DAVIS on a file without a chip: size unknown, no bounds check
        try (Aedat2Reader reader = open(noChip, DEFAULTS.withLayout(Aedat2Layout.DAVIS))) {
            assertThat(reader.info().width()).isZero();
            assertEvent(readAll(reader), 0, 1, 100, 50, 1);
        }
        // forcing DVS128 on a DAVIS file
        byte[] davis = new FileBuilder(DAVIS240_LF).event(0x0C86_4800, 1).bytes();
        try (Aedat2Reader reader = open(davis, DEFAULTS.withLayout(Aedat2Layout.DVS128))) {
            assertThat(reader.info().width()).isEqualTo(128);
            assertEvent(readAll(reader), 0, 1, 0, 72, 0);
        }
    }

    @Test
    void packetsAreBoundedAndSkipOnlyStretchesAreLoopedOver() throws IOException {
        FileBuilder b = new FileBuilder(DAVIS240_LF);
        for (int i = 0; i < 5; i++) {
            b.event(0x8000_0C00, i); // IMU
        }
        b.event(0x0C86_4800, 10).event(0x0C86_4800, 11).event(0x0C86_4800, 12);
        try (Aedat2Reader reader = open(b.bytes(), DEFAULTS.withPacketCapacity(2))) {
            EventPacket p = reader.newPacket();
            assertThat(p.capacity()).isEqualTo(2);
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(2);
            assertThat(p.t(0)).isEqualTo(10);
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(1);
            assertThat(p.t(0)).isEqualTo(12);
            assertThat(reader.read(p)).isFalse();
            assertThat(p.size()).isZero();
            assertThat(reader.statistics().skipped("imu")).isEqualTo(5);
        }
    }

    @Test
    void recordsSplitAcrossStreamReadsDecodeTheSame() throws IOException {
        FileBuilder b = new FileBuilder(DAVIS240_LF);
        for (int i = 0; i < 3000; i++) {
            int x = i % 240;
            int y = (i / 240) % 180;
            b.event((y << 22) | (x << 12) | ((i & 1) << 11), i * 3);
            if (i % 7 == 0) {
                b.event(0x8000_0C00, i * 3);
            }
        }
        byte[] file = b.bytes();
        EventPacket whole;
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            whole = readAll(reader);
        }
        InputStream trickle =
                new ByteArrayInputStream(file) {
                    @Override
                    public synchronized int read(byte[] dst, int off, int len) {
                        return super.read(dst, off, Math.min(len, 5));
                    }
                };
        try (Aedat2Reader reader =
                new Aedat2Reader(trickle, "test.aedat", DEFAULTS.withPacketCapacity(333))) {
            EventPacket pieces = readAll(reader);
            assertThat(pieces.size()).isEqualTo(3000);
            assertThat(pieces).isEqualTo(whole);
            for (int i = 0; i < 3000; i++) {
                assertThat(pieces.x(i)).isEqualTo(i % 240);
                assertThat(pieces.y(i)).isEqualTo((i / 240) % 180);
                assertThat(pieces.p(i)).isEqualTo(i & 1);
                assertThat(pieces.t(i)).isEqualTo(i * 3L);
            }
        }
    }

    @Test
    void truncatedLastRecordFailsAfterTheCompleteEvents() throws IOException {
        byte[] file =
                new FileBuilder(V2_CRLF)
                        .event(0x0A0B, 1)
                        .event(0x0A0B, 2)
                        .raw((byte) 0, (byte) 0, (byte) 0x0A)
                        .bytes();
        int partialAt = V2_CRLF.length() + 16;
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThat(p.size()).isEqualTo(2);
            assertThatThrownBy(() -> reader.read(p))
                    .isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("test.aedat")
                    .hasMessageContaining("truncated")
                    .satisfies(
                            e ->
                                    assertThat(((EventFormatException) e).offset())
                                            .isEqualTo(partialAt));
        }
        // a truncated version 1.0 file, with packets that end exactly before the partial record
        byte[] v1 = new FileBuilder("# v1\n").event16(0x0406, 1).raw((byte) 4).bytes();
        try (Aedat2Reader reader = open(v1, DEFAULTS.withPacketCapacity(1))) {
            EventPacket p = reader.newPacket();
            assertThat(reader.read(p)).isTrue();
            assertThatThrownBy(() -> reader.read(p))
                    .isInstanceOf(EventFormatException.class)
                    .satisfies(
                            e -> assertThat(((EventFormatException) e).offset()).isEqualTo(5 + 6));
        }
    }

    @Test
    void headerLineWithoutLineEndIsAnError() {
        byte[] file = "#!AER-DAT2.0\r\n# unfinished".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(file, DEFAULTS))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("line feed")
                .satisfies(e -> assertThat(((EventFormatException) e).offset()).isEqualTo(14));
    }

    @Test
    void hugeHeaderLineIsAnError() {
        byte[] file = new byte[Aedat2Reader.MAX_HEADER_LINE + 100];
        java.util.Arrays.fill(file, (byte) 'a');
        file[0] = '#';
        file[file.length - 1] = '\n';
        assertThatThrownBy(() -> open(file, DEFAULTS))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("header line longer than")
                .satisfies(e -> assertThat(((EventFormatException) e).offset()).isZero());
    }

    @Test
    void headerBeyondTheTotalBoundIsAnError() {
        byte[] line = ("#" + "x".repeat(1022) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int lines = Aedat2Reader.MAX_HEADER_BYTES / line.length + 2;
        byte[] file = new byte[lines * line.length];
        for (int i = 0; i < lines; i++) {
            System.arraycopy(line, 0, file, i * line.length, line.length);
        }
        assertThatThrownBy(() -> open(file, DEFAULTS))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("header longer than");
    }

    @Test
    void rejectsOtherAedatVersionsAndImpossibleOptions() {
        byte[] v3 = "#!AER-DAT3.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(v3, DEFAULTS))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("3.1");
        byte[] v1 = "# v1\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(v1, DEFAULTS.withLayout(Aedat2Layout.DAVIS)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("32-bit");
        byte[] unknownDavis =
                "#!AER-DAT2.0\n# AEChip: eu.seebetter.ini.chips.davis.DavisFuture\n"
                        .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(unknownDavis, DEFAULTS.withFlipY(true)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("sensor size is unknown");
        byte[] badTick =
                "#!AER-DAT2.0\n# Timestamps tick is 0 us\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> open(badTick, DEFAULTS))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("tick");
    }

    @Test
    void emptyInputHasNoEvents() throws IOException {
        try (Aedat2Reader reader = open(new byte[0], DEFAULTS)) {
            assertThat(reader.info().version()).isEqualTo("1.0");
            assertThat(reader.read(reader.newPacket())).isFalse();
            assertThat(reader.position()).isZero();
        }
    }

    @Test
    void streamIdComesFromOptionsOrSourceName() throws IOException {
        byte[] file = new FileBuilder(V2_CRLF).event(0x0A0B, 1).bytes();
        try (Aedat2Reader reader = open(file, DEFAULTS.withStreamId("cam7"))) {
            EventPacket p = new EventPacket("other", 1, 1, 4);
            assertThat(reader.read(p)).isTrue();
            assertThat(p.streamId()).isEqualTo("cam7");
            assertThat(p.width()).isEqualTo(128);
        }
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            assertThat(reader.streamId()).isEqualTo("test.aedat");
            assertThat(reader.packetCapacity()).isEqualTo(EventPacket.DEFAULT_CAPACITY);
        }
    }

    private static void assertEvent(EventPacket p, int i, long t, int x, int y, int polarity) {
        assertThat(new long[] {p.t(i), p.x(i), p.y(i), p.p(i)})
                .as("event %d (t, x, y, p)", i)
                .containsExactly(t, x, y, polarity);
    }

    @Test
    void davisApsSamplesAreAssembledIntoFramesWhenAsked() throws IOException {
        // a DAVIS240C frame: a reset read (cycle 0) of every pixel with ADC 900, then a signal read
        // (cycle 1) with ADC 900 - v, v = (x + y) mod 512: intensity v / 1023.
        // sample address = bit 31 | y << 22 | x << 12 | cycle << 10 | adc
        FileBuilder f = new FileBuilder(DAVIS240_LF);
        int t = 1_000;
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 240; x++) {
                f.event(0x8000_0000 | (y << 22) | (x << 12) | 900, t);
            }
        }
        f.event(0x2300_1000, 2_000); // one DVS event between the reads (x=1, y=140)
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 240; x++) {
                int v = (x + y) % 512;
                f.event(0x8000_0000 | (y << 22) | (x << 12) | (1 << 10) | (900 - v), t++ + 5_000);
            }
        }
        byte[] file = f.bytes();

        try (Aedat2Reader plain = open(file, DEFAULTS)) {
            assertThat(readAll(plain).size()).isEqualTo(1);
            assertThat(plain.statistics().skipped()).containsEntry("aps", 2L * 240 * 180);
        }
        try (Aedat2Reader reader = open(file, DEFAULTS)) {
            List<ApsFrame> frames = new ArrayList<>();
            reader.setFrameListener(frames::add);
            assertThat(readAll(reader).size()).isEqualTo(1);
            assertThat(frames).hasSize(1);
            ApsFrame fr = frames.get(0);
            assertThat(fr.width()).isEqualTo(240);
            assertThat(fr.height()).isEqualTo(180);
            assertThat(fr.startExposureUs()).isEqualTo(1_000);
            assertThat(fr.endExposureUs()).isEqualTo(1_000 + 240 * 180 - 1 + 5_000);
            assertThat(fr.pixels()[0]).isZero();
            assertThat(fr.pixels()[140 * 240 + 1]).isEqualTo(141f / 1023f);
            assertThat(fr.pixels()[179 * 240 + 239]).isEqualTo(418f / 1023f);
        }
    }
}
