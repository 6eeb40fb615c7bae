package io.dvsflow.models.snapshot;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The architectures a {@code ModelSnapshot} may hold, by the string stored in {@code
 * ArchitectureSpec.kind}. Loading a snapshot with any other kind fails ("unknown architecture").
 */
public enum ModelKind {
    /** {@link io.dvsflow.models.decoder.LogisticDecoder}. */
    LOGISTIC_DECODER("logistic-decoder"),
    /** {@link io.dvsflow.models.decoder.MlpDecoder}. */
    MLP_DECODER("mlp-decoder"),
    /** {@link io.dvsflow.models.decoder.CnnDecoder}. */
    CNN_DECODER("cnn-decoder"),
    /** {@link io.dvsflow.models.classifier.LeNet5Classifier}. */
    LENET5_CLASSIFIER("lenet5-classifier"),
    /** The hybrid SNN encoder + ANN decoder of VDIB (tensors named by the trainer). */
    VDIB("vdib");

    private final String id;

    ModelKind(String id) {
        this.id = id;
    }

    /** The string stored in snapshots. */
    public String id() {
        return id;
    }

    /**
     * The kind stored as {@code id}.
     *
     * @throws InvalidSnapshotException if no kind has this id
     */
    public static ModelKind fromId(String id) {
        for (ModelKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new InvalidSnapshotException(
                "unknown architecture '"
                        + id
                        + "' (known: "
                        + Arrays.stream(values())
                                .map(ModelKind::id)
                                .collect(Collectors.joining(", "))
                        + ")");
    }
}
