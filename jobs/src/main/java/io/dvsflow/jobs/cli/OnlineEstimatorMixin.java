package io.dvsflow.jobs.cli;

import io.dvsflow.models.learning.GradientEstimator;
import picocli.CommandLine.Option;

/**
 * The {@code --estimator} option of the commands that learn online ({@code naturalize --learn},
 * {@code demo}, the cluster job).
 */
public final class OnlineEstimatorMixin {

    @Option(
            names = "--estimator",
            defaultValue = "pathwise",
            paramLabel = "pathwise|reinforce",
            converter = EstimatorConverter.class,
            description =
                    "--learn: encoder gradient, pathwise (the decoder's gradient for every readout"
                            + " spike of the reference's window, replayed from a per-stream"
                            + " history of the last tau_d steps) or reinforce (the paper's score"
                            + " function with global baselines). Default: ${DEFAULT-VALUE}.")
    GradientEstimator estimator = GradientEstimator.PATHWISE;

    /** The chosen estimator. */
    public GradientEstimator estimator() {
        return estimator;
    }
}
