package io.dvsflow.models.snapshot;

import io.dvsflow.schemas.avro.ArchitectureSpec;
import io.dvsflow.schemas.avro.ModelSnapshot;
import io.dvsflow.schemas.avro.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Saving, loading and validating {@link ModelSnapshot} records (schema {@code
 * schemas/src/main/avro/ModelSnapshot.avsc}).
 *
 * <p>Two encodings: {@link #save}/{@link #load} write and read an Avro object container file
 * holding exactly one record, uncompressed (float32 weights barely compress, and an uncompressed
 * file can be bounds-checked before decoding; compressed files are refused); {@link
 * #toBytes}/{@link #fromBytes} use Avro's single-object encoding ({@code C3 01}, 8-byte schema
 * fingerprint, record), e.g. for Kafka or a broadcast stream. Tensor data is float32 little-endian,
 * row-major.
 *
 * <p>Every read is validated ({@link #validate}) before it is returned: the format version is
 * {@link #FORMAT_VERSION}, the kind is a {@link ModelKind}, tensor names are unique and non-empty,
 * every shape has rank 1..{@link #MAX_RANK} with positive dimensions, at most {@link
 * #MAX_TENSOR_ELEMENTS} elements, and exactly {@code 4 x product(shape)} data bytes, every value is
 * finite, and counts stay under {@link #MAX_TENSORS} and {@link #MAX_MAP_ENTRIES}. Inputs longer
 * than {@link #MAX_SNAPSHOT_BYTES} are refused before they are read; length fields inside the
 * record are checked against the bytes actually present before anything is allocated ({@link
 * SnapshotBounds}). Failures throw {@link InvalidSnapshotException} naming the tensor or field.
 */
public final class ModelSnapshots {

    /** The layout version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Largest file or byte array accepted: 1 GiB. */
    public static final long MAX_SNAPSHOT_BYTES = 1L << 30;

    /** Most tensors in one snapshot. */
    public static final int MAX_TENSORS = 4096;

    /** Highest tensor rank. */
    public static final int MAX_RANK = 8;

    /** Most elements in one tensor: 2^27 floats (512 MiB). */
    public static final long MAX_TENSOR_ELEMENTS = 1L << 27;

    /** Most entries in the hyperparameter or metadata map, and most layer sizes. */
    public static final int MAX_MAP_ENTRIES = 4096;

    private ModelSnapshots() {}

    /**
     * Builds a snapshot of the current format version; tensors are copied into little-endian bytes
     * in the given order.
     */
    public static ModelSnapshot create(
            ModelKind kind,
            List<Integer> layerSizes,
            Map<String, String> hyperparameters,
            List<NamedTensor> tensors,
            long version,
            Map<String, String> metadata) {
        List<Tensor> encoded = new ArrayList<>(tensors.size());
        for (NamedTensor t : tensors) {
            encoded.add(encode(t));
        }
        ModelSnapshot snapshot =
                ModelSnapshot.newBuilder()
                        .setFormatVersion(FORMAT_VERSION)
                        .setVersion(version)
                        .setArchitecture(
                                ArchitectureSpec.newBuilder()
                                        .setKind(kind.id())
                                        .setLayerSizes(new ArrayList<>(layerSizes))
                                        .setHyperparameters(new LinkedHashMap<>(hyperparameters))
                                        .build())
                        .setTensors(encoded)
                        .setMetadata(new LinkedHashMap<>(metadata))
                        .setCreatedAtMs(System.currentTimeMillis())
                        .build();
        validate(snapshot);
        return snapshot;
    }

    /** Encodes one tensor: shape copied, data as float32 little-endian. */
    public static Tensor encode(NamedTensor t) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.data());
        List<Integer> shape = new ArrayList<>(t.shape().length);
        for (int d : t.shape()) {
            shape.add(d);
        }
        return Tensor.newBuilder().setName(t.name()).setShape(shape).setData(buf).build();
    }

    /**
     * Decodes one tensor after checking its rank, dimensions, size and finiteness.
     *
     * @throws InvalidSnapshotException naming the tensor
     */
    public static NamedTensor decode(Tensor t) {
        String name = t.getName();
        List<Integer> shapeList = t.getShape();
        if (shapeList.isEmpty() || shapeList.size() > MAX_RANK) {
            throw new InvalidSnapshotException(
                    "tensor '"
                            + name
                            + "' has rank "
                            + shapeList.size()
                            + " (allowed 1.."
                            + MAX_RANK
                            + ")");
        }
        int[] shape = new int[shapeList.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeList.get(i);
            if (shape[i] < 1) {
                throw new InvalidSnapshotException(
                        "tensor '" + name + "' has a non-positive dimension in shape " + shapeList);
            }
            n *= shape[i];
            if (n > MAX_TENSOR_ELEMENTS) {
                throw new InvalidSnapshotException(
                        "tensor '"
                                + name
                                + "' with shape "
                                + shapeList
                                + " exceeds "
                                + MAX_TENSOR_ELEMENTS
                                + " elements");
            }
        }
        ByteBuffer bytes = t.getData().duplicate();
        if (bytes.remaining() != 4 * n) {
            throw new InvalidSnapshotException(
                    "tensor '"
                            + name
                            + "' has shape "
                            + shapeList
                            + " ("
                            + n
                            + " floats, "
                            + 4 * n
                            + " bytes) but "
                            + bytes.remaining()
                            + " data bytes");
        }
        float[] data = new float[(int) n];
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new InvalidSnapshotException(
                        "tensor '"
                                + name
                                + "' holds a non-finite value ("
                                + data[i]
                                + ") at index "
                                + i);
            }
        }
        return new NamedTensor(name, shape, data);
    }

    /**
     * Checks the whole snapshot (see the class comment).
     *
     * @throws InvalidSnapshotException naming the field or tensor at fault
     */
    public static void validate(ModelSnapshot s) {
        if (s.getFormatVersion() != FORMAT_VERSION) {
            throw new InvalidSnapshotException(
                    "snapshot format version "
                            + s.getFormatVersion()
                            + " is not supported (this build reads version "
                            + FORMAT_VERSION
                            + ")");
        }
        ArchitectureSpec a = s.getArchitecture();
        ModelKind.fromId(a.getKind());
        if (a.getLayerSizes().size() > MAX_MAP_ENTRIES
                || a.getHyperparameters().size() > MAX_MAP_ENTRIES
                || s.getMetadata().size() > MAX_MAP_ENTRIES) {
            throw new InvalidSnapshotException(
                    "snapshot has more than "
                            + MAX_MAP_ENTRIES
                            + " layer sizes, hyperparameters or metadata entries");
        }
        for (int size : a.getLayerSizes()) {
            if (size < 0) {
                throw new InvalidSnapshotException("layer size " + size + " is negative");
            }
        }
        if (s.getTensors().size() > MAX_TENSORS) {
            throw new InvalidSnapshotException(
                    "snapshot has "
                            + s.getTensors().size()
                            + " tensors (at most "
                            + MAX_TENSORS
                            + ")");
        }
        Set<String> names = new HashSet<>();
        for (Tensor t : s.getTensors()) {
            if (t.getName().isEmpty()) {
                throw new InvalidSnapshotException("a tensor has an empty name");
            }
            if (!names.add(t.getName())) {
                throw new InvalidSnapshotException("tensor '" + t.getName() + "' appears twice");
            }
            decode(t);
        }
    }

    /** The snapshot's kind. */
    public static ModelKind kind(ModelSnapshot s) {
        return ModelKind.fromId(s.getArchitecture().getKind());
    }

    /**
     * Fails unless the snapshot holds a model of kind {@code expected}.
     *
     * @throws InvalidSnapshotException naming both kinds
     */
    public static void requireKind(ModelSnapshot s, ModelKind expected) {
        ModelKind actual = kind(s);
        if (actual != expected) {
            throw new InvalidSnapshotException(
                    "snapshot holds a "
                            + actual.id()
                            + " but a "
                            + expected.id()
                            + " was expected");
        }
    }

    /**
     * Fails unless the snapshot's model version equals {@code expected}.
     *
     * @throws InvalidSnapshotException naming both versions
     */
    public static void requireVersion(ModelSnapshot s, long expected) {
        if (s.getVersion() != expected) {
            throw new InvalidSnapshotException(
                    "snapshot has model version "
                            + s.getVersion()
                            + " but version "
                            + expected
                            + " was expected");
        }
    }

    /** All tensors, decoded and checked, in stored order. */
    public static Map<String, NamedTensor> tensors(ModelSnapshot s) {
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (Tensor t : s.getTensors()) {
            out.put(t.getName(), decode(t));
        }
        return out;
    }

    /**
     * The snapshot's tensors matched against a model's expected tensors (same names and shapes, in
     * the order of {@code expected}).
     *
     * @throws InvalidSnapshotException for a missing tensor, an extra tensor, or a shape mismatch
     *     (naming the tensor and both shapes)
     */
    public static List<NamedTensor> matchTensors(ModelSnapshot s, List<NamedTensor> expected) {
        Map<String, NamedTensor> stored = tensors(s);
        List<NamedTensor> out = new ArrayList<>(expected.size());
        for (NamedTensor e : expected) {
            NamedTensor t = stored.remove(e.name());
            if (t == null) {
                throw new InvalidSnapshotException(
                        "snapshot lacks tensor '" + e.name() + "' " + Arrays.toString(e.shape()));
            }
            if (!t.sameShape(e)) {
                throw new InvalidSnapshotException(
                        "tensor '"
                                + e.name()
                                + "' has shape "
                                + Arrays.toString(t.shape())
                                + " in the snapshot but the model expects "
                                + Arrays.toString(e.shape()));
            }
            out.add(t);
        }
        if (!stored.isEmpty()) {
            throw new InvalidSnapshotException(
                    "snapshot has tensors the model does not know: " + stored.keySet());
        }
        return out;
    }

    /** Single-object encoding of a validated snapshot. */
    public static byte[] toBytes(ModelSnapshot s) {
        validate(s);
        try {
            ByteBuffer buf = ModelSnapshot.getEncoder().encode(s);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes and validates a single-object encoded snapshot.
     *
     * @throws InvalidSnapshotException for anything but a valid snapshot
     */
    public static ModelSnapshot fromBytes(byte[] bytes) {
        if (bytes.length > MAX_SNAPSHOT_BYTES) {
            throw new InvalidSnapshotException(
                    "snapshot of " + bytes.length + " bytes exceeds " + MAX_SNAPSHOT_BYTES);
        }
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0xC3 || bytes[1] != 0x01) {
            throw new InvalidSnapshotException(
                    "not a single-object encoded snapshot (missing the C3 01 marker)");
        }
        SnapshotBounds.check(bytes, 10, bytes.length, "snapshot bytes");
        ModelSnapshot s;
        try {
            s = ModelSnapshot.getDecoder().decode(bytes);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new InvalidSnapshotException("undecodable snapshot bytes: " + e.getMessage(), e);
        }
        validate(s);
        return s;
    }

    /**
     * Writes a validated snapshot as an Avro container file, atomically (temporary file in the same
     * directory, then a move).
     */
    public static void save(ModelSnapshot s, Path file) throws IOException {
        validate(s);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<ModelSnapshot> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(ModelSnapshot.class))) {
            writer.setCodec(CodecFactory.nullCodec());
            writer.create(ModelSnapshot.getClassSchema(), bytes);
            writer.append(s);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads and validates the single snapshot of an Avro container file.
     *
     * @throws InvalidSnapshotException for a file that is not exactly one valid snapshot
     * @throws IOException if the file cannot be read
     */
    public static ModelSnapshot load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_SNAPSHOT_BYTES) {
            throw new InvalidSnapshotException(
                    file + ": snapshot file of " + size + " bytes exceeds " + MAX_SNAPSHOT_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        SnapshotBounds.checkContainer(bytes, file.toString());
        ModelSnapshot s;
        try (DataFileReader<ModelSnapshot> reader =
                new DataFileReader<>(
                        new SeekableByteArrayInput(bytes),
                        new SpecificDatumReader<>(ModelSnapshot.class))) {
            if (!reader.hasNext()) {
                throw new InvalidSnapshotException(file + ": the file holds no snapshot");
            }
            s = reader.next();
            if (reader.hasNext()) {
                throw new InvalidSnapshotException(
                        file + ": the file holds more than one snapshot");
            }
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new InvalidSnapshotException(
                    file + ": not a readable snapshot file: " + e.getMessage(), e);
        }
        try {
            validate(s);
        } catch (InvalidSnapshotException e) {
            throw new InvalidSnapshotException(file + ": " + e.getMessage(), e);
        }
        return s;
    }
}
