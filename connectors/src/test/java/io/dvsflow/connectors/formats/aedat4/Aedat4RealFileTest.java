package io.dvsflow.connectors.formats.aedat4;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.RealData;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * The real DVXplorer recording {@code tonic_sample.aedat4} (320x240, LZ4, streams 0 EVTS, 2 IMUS, 3
 * TRIG, data table present); skipped visibly when the shared data folder is absent.
 */
class Aedat4RealFileTest {

    private static final String FILE = "tonic_sample.aedat4";

    @Test
    void headerDescribesTheDvxplorerEventStream() throws IOException {
        Path file = RealData.file(FILE);
        assertThat(EventFormats.detect(file)).isEqualTo(EventFormat.AEDAT4);
        try (EventReader reader = EventFormats.open(file, ReaderOptions.defaults())) {
            assertThat(reader).isInstanceOf(Aedat4Reader.class);
            assertThat(reader.info().width()).isEqualTo(320);
            assertThat(reader.info().height()).isEqualTo(240);
            assertThat(reader.info().device()).isEqualTo("DVXplorer_DXB00010");
            assertThat(reader.info().version()).isEqualTo("4.0");
            assertThat(reader.info().metadata())
                    .containsEntry("compression", "LZ4")
                    .containsEntry("eventStream", "0")
                    .containsEntry("streams", "0:EVTS 320x240, 2:IMUS, 3:TRIG");
        }
    }

    @Test
    void eventsAreInRangeMonotonicAndCountedLikeAnIndependentWalk() throws IOException {
        Path file = RealData.file(FILE);
        long[] walk = independentWalk(Files.readAllBytes(file));
        long expected = walk[0];
        long count = 0;
        long last = Long.MIN_VALUE;
        long backwards = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        int maxP = 0;
        long dataTable;
        try (EventReader reader = EventFormats.open(file, ReaderOptions.defaults())) {
            dataTable = Long.parseLong(reader.info().metadata().get("dataTablePosition"));
            EventPacket packet = reader.newPacket();
            while (reader.read(packet)) {
                assertThat(packet.width()).isEqualTo(320);
                for (int i = 0; i < packet.size(); i++) {
                    minX = Math.min(minX, packet.x(i));
                    maxX = Math.max(maxX, packet.x(i));
                    minY = Math.min(minY, packet.y(i));
                    maxY = Math.max(maxY, packet.y(i));
                    maxP = Math.max(maxP, packet.p(i));
                    if (packet.t(i) < last) {
                        backwards++;
                    }
                    last = packet.t(i);
                }
                count += packet.size();
            }
            var stats = reader.statistics();
            assertThat(count).isEqualTo(expected).isEqualTo(stats.events()).isPositive();
            assertThat(stats.onEvents()).isPositive().isLessThan(count);
            assertThat(stats.skipped("imu")).isPositive();
            // the description lists a TRIG stream (id 3) but the recording holds no packet of it
            assertThat(walk[2]).isZero();
            assertThat(stats.skipped("external")).isZero();
            assertThat(walk[1]).isPositive();
            assertThat(stats.skipped("out_of_bounds")).isZero();
            assertThat(stats.skipped("time_backwards")).isZero();
            assertThat(reader.position()).isEqualTo(dataTable);
        }
        assertThat(backwards).isZero();
        assertThat(minX).isGreaterThanOrEqualTo(0);
        assertThat(maxX).isLessThan(320);
        assertThat(minY).isGreaterThanOrEqualTo(0);
        assertThat(maxY).isLessThan(240);
        assertThat(maxP).isEqualTo(1);
        // DV timestamps are Unix time in microseconds: the recording is from November 2020
        assertThat(last).isBetween(1_600_000_000_000_000L, 1_700_000_000_000_000L);
    }

    @Test
    void smallOutputPacketsGiveTheSameEvents() throws IOException {
        Path file = RealData.file(FILE);
        EventPacket all = new EventPacket("a", 0, 0, 16);
        EventPacket small = new EventPacket("a", 0, 0, 16);
        try (EventReader a = EventFormats.open(file, ReaderOptions.defaults().withStreamId("a"));
                EventReader b =
                        EventFormats.open(
                                file,
                                ReaderOptions.defaults()
                                        .withStreamId("a")
                                        .withPacketCapacity(777))) {
            EventPacket p = a.newPacket();
            while (a.read(p)) {
                all.addAll(p);
            }
            EventPacket q = b.newPacket();
            while (b.read(q)) {
                assertThat(q.size()).isLessThanOrEqualTo(777);
                small.addAll(q);
            }
        }
        all.setGeometry(0, 0);
        small.setGeometry(0, 0);
        assertThat(small).isEqualTo(all);
    }

    /**
     * Counts the events of stream 0 by walking the packets with lz4-java's block decoder (every
     * packet of this file is one 64 KiB LZ4 block) and reading the vector length by hand.
     *
     * @return events of stream 0, packets of stream 2 (IMU), packets of stream 3 (triggers)
     */
    private static long[] independentWalk(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int p = 14 + 4 + b.getInt(14); // magic, IOHeader length, IOHeader
        long total = 0;
        long imuPackets = 0;
        long triggerPackets = 0;
        while (p + 8 <= file.length) {
            int stream = b.getInt(p);
            int size = b.getInt(p + 4);
            if (p + 8 + size > file.length || size < 0) {
                break; // the FileDataTable (no packet header) ends the walk
            }
            imuPackets += stream == 2 ? 1 : 0;
            triggerPackets += stream == 3 ? 1 : 0;
            if (stream == 0) {
                // LZ4 frame: magic (4), FLG 0x40 (linked blocks, which lz4-java's frame stream
                // rejects), BD, header checksum, then one block: uint32 size, data, 0 end mark
                assertThat(b.getInt(p + 8)).isEqualTo(0x184D2204);
                assertThat(file[p + 12] & 0xFF).isEqualTo(0x40);
                int blockSize = b.getInt(p + 15);
                assertThat(b.getInt(p + 19 + blockSize)).isZero();
                byte[] raw = new byte[1 << 16];
                LZ4Factory.safeInstance()
                        .safeDecompressor()
                        .decompress(file, p + 19, blockSize, raw, 0);
                ByteBuffer f = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                int table = 4 + f.getInt(4); // size prefix, then root offset relative to byte 4
                int vtable = table - f.getInt(table);
                int field = table + f.getShort(vtable + 4); // field 0: elements
                int vector = field + f.getInt(field);
                total += f.getInt(vector);
            }
            p += 8 + size;
        }
        return new long[] {total, imuPackets, triggerPackets};
    }
}
