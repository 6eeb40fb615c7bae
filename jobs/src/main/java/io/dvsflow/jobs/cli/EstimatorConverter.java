package io.dvsflow.jobs.cli;

import io.dvsflow.models.learning.GradientEstimator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code reinforce} or {@code pathwise} (any case) for the {@code --estimator} options. */
public final class EstimatorConverter implements ITypeConverter<GradientEstimator> {

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
