package io.dvsflow.jobs.cli;

import io.dvsflow.models.learning.GradientEstimator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code reinforce} or {@code pathwise} (any case) for the {@code --estimator} options. */
public final class EstimatorConverter implements ITypeConverter<GradientEstimator> {

    /**
     * Help text of the online learners' {@code --estimator} option ({@code naturalize --learn},
     * {@code demo}, the cluster job).
     */
    public static final String ONLINE_HELP =
            "--learn: encoder gradient, pathwise (the decoder's gradient for every readout spike"
                    + " of the reference's window, replayed from a per-stream history of the"
                    + " last tau_d steps) or reinforce (the paper's score function with global"
                    + " baselines). Default: ${DEFAULT-VALUE}.";

    @Override
    public GradientEstimator convert(String value) {
        for (GradientEstimator e : GradientEstimator.values()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new TypeConversionException(
                "'" + value + "' is not an estimator: use reinforce or pathwise");
    }
}
