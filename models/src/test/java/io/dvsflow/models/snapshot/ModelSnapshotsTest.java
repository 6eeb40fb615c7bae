package io.dvsflow.models.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.avro.ModelSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSnapshotsTest {
    @TempDir Path dir;

    private static ModelSnapshot sample() {
        return ModelSnapshots.create(
                ModelKind.MLP_DECODER,
                List.of(3, 2),
                Map.of("hidden", "2"),
                List.of(
                        new NamedTensor(
                                "a.weight",
                                new int[] {3, 2},
                                new float[] {1, -2, 3.5f, 0, 1e-7f, -0f}),
                        new NamedTensor("a.bias", new int[] {2}, new float[] {0.25f, -0.5f})),
                42L,
                Map.of("seed", "7", "epochs", "3"));
    }

    @Test
    void roundTripsThroughAFileAndBytes() throws Exception {
        ModelSnapshot s = sample();
        Path f = dir.resolve("m.avro");
        ModelSnapshots.save(s, f);
        ModelSnapshot back = ModelSnapshots.load(f);
        assertThat(back).isEqualTo(s);
        assertThat(ModelSnapshots.fromBytes(ModelSnapshots.toBytes(s))).isEqualTo(s);
        Map<String, NamedTensor> t = ModelSnapshots.tensors(back);
        assertThat(t.keySet()).containsExactly("a.weight", "a.bias");
        assertThat(t.get("a.weight").data()).containsExactly(1, -2, 3.5f, 0, 1e-7f, -0f);
        assertThat(back.getVersion()).isEqualTo(42L);
        assertThat(back.getMetadata()).containsEntry("seed", "7");
    }

    @Test
    void tensorBytesAreFloat32LittleEndian() {
        // 0.25f = 0x3E800000 -> bytes 00 00 80 3E
        ByteBuffer b =
                ModelSnapshots.encode(new NamedTensor("t", new int[] {1}, new float[] {0.25f}))
                        .getData();
        assertThat(new byte[] {b.get(0), b.get(1), b.get(2), b.get(3)})
                .containsExactly(0x00, 0x00, 0x80, 0x3E);
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() {
        assertThatThrownBy(
                        () ->
                                ModelSnapshots.matchTensors(
                                        sample(),
                                        List.of(
                                                NamedTensor.zeros("a.weight", 2, 3),
                                                NamedTensor.zeros("a.bias", 2))))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessage(
                        "tensor 'a.weight' has shape [3, 2] in the snapshot but the model expects [2, 3]");
        assertThatThrownBy(
                        () ->
                                ModelSnapshots.matchTensors(
                                        sample(), List.of(NamedTensor.zeros("a.weight", 3, 2))))
                .hasMessageContaining("does not know: [a.bias]");
        assertThatThrownBy(
                        () ->
                                ModelSnapshots.matchTensors(
                                        sample(), List.of(NamedTensor.zeros("c", 1))))
                .hasMessageContaining("lacks tensor 'c'");
    }

    @Test
    void dataLengthDisagreeingWithTheShapeIsRefused() {
        ModelSnapshot s = sample();
        s.getTensors().get(1).setShape(List.of(3));
        assertThatThrownBy(() -> ModelSnapshots.validate(s))
                .hasMessageContaining("tensor 'a.bias' has shape [3]")
                .hasMessageContaining("but 8 data bytes");
    }

    @Test
    void unknownArchitectureIsRefused() {
        ModelSnapshot s = sample();
        s.getArchitecture().setKind("transformer");
        assertThatThrownBy(() -> ModelSnapshots.fromBytes(rawBytes(s)))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("unknown architecture 'transformer'");
    }

    @Test
    void otherFormatVersionsAndModelVersionsAreRefused() {
        ModelSnapshot s = sample();
        assertThatThrownBy(() -> ModelSnapshots.requireVersion(s, 41L))
                .hasMessage("snapshot has model version 42 but version 41 was expected");
        s.setFormatVersion(2);
        assertThatThrownBy(() -> ModelSnapshots.fromBytes(rawBytes(s)))
                .hasMessageContaining("format version 2 is not supported");
        assertThatThrownBy(() -> ModelSnapshots.requireKind(sample(), ModelKind.CNN_DECODER))
                .hasMessageContaining("holds a mlp-decoder but a cnn-decoder was expected");
    }

    @Test
    void nonFiniteWeightsAreRefusedWithTheTensorName() {
        ModelSnapshot s = sample();
        ByteBuffer nan =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0)
                        .putFloat(Float.NaN)
                        .flip();
        s.getTensors().get(1).setData(nan);
        assertThatThrownBy(() -> ModelSnapshots.fromBytes(rawBytes(s)))
                .hasMessageContaining("tensor 'a.bias' holds a non-finite value (NaN) at index 1");
        ByteBuffer inf =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(Float.POSITIVE_INFINITY)
                        .putFloat(0)
                        .flip();
        s.getTensors().get(1).setData(inf);
        assertThatThrownBy(() -> ModelSnapshots.save(s, dir.resolve("x.avro")))
                .hasMessageContaining(
                        "tensor 'a.bias' holds a non-finite value (Infinity) at index 0");
    }

    @Test
    void duplicateNamesAreRefused() {
        ModelSnapshot s = sample();
        s.getTensors().get(1).setName("a.weight");
        assertThatThrownBy(() -> ModelSnapshots.validate(s))
                .hasMessageContaining("'a.weight' appears twice");
    }

    @Test
    void hostileLengthInBytesIsRefusedBeforeAllocation() {
        byte[] good = ModelSnapshots.toBytes(sample());
        // After the 10-byte header: formatVersion 1 -> zig-zag 2 = 0x02; version 42 -> 84 = 0x54;
        // then the kind string length. Replace it by 1e9 (zig-zag 2e9 = 0x77359400, varint
        // 80 A8 D6 B9 07) followed by nothing useful.
        byte[] hostile = Arrays.copyOf(good, 20);
        assertThat(good[10]).isEqualTo((byte) 0x02);
        assertThat(good[11]).isEqualTo((byte) 0x54);
        hostile[12] = (byte) 0x80;
        hostile[13] = (byte) 0xA8;
        hostile[14] = (byte) 0xD6;
        hostile[15] = (byte) 0xB9;
        hostile[16] = (byte) 0x07;
        assertThatThrownBy(() -> ModelSnapshots.fromBytes(hostile))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("architecture.kind")
                .hasMessageContaining("length 1000000000");
    }

    @Test
    void truncatedAndForeignFilesAreRefused() throws Exception {
        Path f = dir.resolve("m.avro");
        ModelSnapshots.save(sample(), f);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.avro");
        Files.write(cut, Arrays.copyOf(all, all.length - 30));
        assertThatThrownBy(() -> ModelSnapshots.load(cut))
                .isInstanceOf(InvalidSnapshotException.class);
        Path foreign = dir.resolve("foreign.avro");
        Files.writeString(foreign, "hello");
        assertThatThrownBy(() -> ModelSnapshots.load(foreign)).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> ModelSnapshots.fromBytes(new byte[] {1, 2, 3}))
                .hasMessageContaining("C3 01");
    }

    /** Single-object bytes of a snapshot, bypassing the validation of toBytes. */
    private static byte[] rawBytes(ModelSnapshot s) throws Exception {
        ByteBuffer b = ModelSnapshot.getEncoder().encode(s);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
