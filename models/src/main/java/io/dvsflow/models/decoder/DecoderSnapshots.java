package io.dvsflow.models.decoder;

import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.Map;

/**
 * Decoders to and from {@link ModelSnapshot}s: the architecture record holds the kind and the
 * {@link ImageDecoder#hyperparameters()}, from which {@link #fromSnapshot} rebuilds the decoder
 * before loading its tensors (names and shapes must match exactly). The hyperparameter {@value
 * DecoderBackend#KEY} picks the {@link DecoderBackend} ({@code java} when absent); both backends
 * use the same tensors, so {@link #fromSnapshot(ModelSnapshot, DecoderBackend)} can load a snapshot
 * on either.
 */
public final class DecoderSnapshots {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(DecoderSnapshots.class);

    private DecoderSnapshots() {}

    /** A snapshot of the decoder's current parameters. */
    public static ModelSnapshot toSnapshot(
            ImageDecoder d, long version, Map<String, String> metadata) {
        return ModelSnapshots.create(
                d.kind(), d.layerSizes(), d.hyperparameters(), d.parameters(), version, metadata);
    }

    /**
     * Rebuilds the decoder a snapshot describes.
     *
     * @throws InvalidSnapshotException if the kind is not a decoder, a hyperparameter is missing or
     *     not a number, or a tensor is missing or of another shape
     */
    public static ImageDecoder fromSnapshot(ModelSnapshot s) {
        return fromSnapshot(s, usable(backend(s), DecoderBackend.ND4J.available()));
    }

    /**
     * {@code wanted}, or {@link DecoderBackend#JAVA} with a warning when {@code wanted} is ND4J and
     * ND4J is not on the class path (both backends compute the same function from the same tensors,
     * so a model trained with ND4J still runs, only with the Java layers).
     */
    static DecoderBackend usable(DecoderBackend wanted, boolean nd4jAvailable) {
        if (wanted == DecoderBackend.ND4J && !nd4jAvailable) {
            LOG.warn(
                    "the model's decoder was written by the ND4J backend, which is not on the class"
                            + " path; computing it with the Java backend (same tensors, same"
                            + " function)");
            return DecoderBackend.JAVA;
        }
        return wanted;
    }

    /**
     * The backend a snapshot names in its hyperparameter {@value DecoderBackend#KEY}; {@link
     * DecoderBackend#JAVA} when absent (snapshots from before the ND4J backend).
     *
     * @throws InvalidSnapshotException if the name is neither {@code java} nor {@code nd4j}
     */
    public static DecoderBackend backend(ModelSnapshot s) {
        String b = s.getArchitecture().getHyperparameters().get(DecoderBackend.KEY);
        if (b == null) {
            return DecoderBackend.JAVA;
        }
        try {
            return DecoderBackend.of(b);
        } catch (IllegalArgumentException e) {
            throw new InvalidSnapshotException(e.getMessage());
        }
    }

    /**
     * Rebuilds the decoder a snapshot describes on the given backend, whichever backend wrote it
     * (both define the same function with the same tensors).
     *
     * @throws InvalidSnapshotException as {@link #fromSnapshot(ModelSnapshot)}
     */
    public static ImageDecoder fromSnapshot(ModelSnapshot s, DecoderBackend backend) {
        Map<String, String> hp = s.getArchitecture().getHyperparameters();
        ImageDecoder d =
                switch (ModelSnapshots.kind(s)) {
                    case LOGISTIC_DECODER ->
                            backend.logistic(
                                    integer(hp, "inputSize"),
                                    integer(hp, "outputWidth"),
                                    integer(hp, "outputHeight"),
                                    0L);
                    case MLP_DECODER ->
                            backend.mlp(
                                    integer(hp, "inputSize"),
                                    integer(hp, "hidden"),
                                    integer(hp, "outputWidth"),
                                    integer(hp, "outputHeight"),
                                    0L);
                    case CNN_DECODER ->
                            backend.cnn(
                                    integer(hp, "inputChannels"),
                                    integer(hp, "inputHeight"),
                                    integer(hp, "inputWidth"),
                                    integer(hp, "c1"),
                                    integer(hp, "c2"),
                                    integer(hp, "kernel"),
                                    integer(hp, "stride"),
                                    integer(hp, "outputWidth"),
                                    integer(hp, "outputHeight"),
                                    0L);
                    default ->
                            throw new InvalidSnapshotException(
                                    "snapshot holds a "
                                            + s.getArchitecture().getKind()
                                            + ", not an image decoder");
                };
        d.setParameters(ModelSnapshots.matchTensors(s, d.parameters()));
        return d;
    }

    /**
     * Largest size any decoder hyperparameter may take (guards allocation from hostile snapshots).
     */
    public static final int MAX_DIMENSION = 1 << 20;

    private static int integer(Map<String, String> hp, String key) {
        String v = hp.get(key);
        if (v == null) {
            throw new InvalidSnapshotException("decoder hyperparameter '" + key + "' is missing");
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > MAX_DIMENSION) {
                throw new InvalidSnapshotException(
                        "decoder hyperparameter '"
                                + key
                                + "' = "
                                + n
                                + " is outside [1, "
                                + MAX_DIMENSION
                                + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSnapshotException(
                    "decoder hyperparameter '" + key + "' is not an integer: '" + v + "'");
        }
    }
}
