package io.dvsflow.jobs.naturalize;

import io.dvsflow.operators.vdib.VdibSettings;
import java.io.Serializable;
import java.util.Objects;

/**
 * What the VDIB branch of {@link NaturalizeJob} needs besides the common settings.
 *
 * @param model the start model, a single-object encoded VDIB {@code ModelSnapshot} (its bin width
 *     {@code dtUs} replaces the job's window; its crop selects the events)
 * @param operators operator settings (seed, emit every k, learning, in-process channel)
 * @param modelOutput folder for the learned model versions ({@code model-v<version>.avro}), or null
 *     (learning only)
 */
public record VdibJobOptions(byte[] model, VdibSettings operators, String modelOutput)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that the parts are present. */
    public VdibJobOptions {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(operators, "operators");
    }
}
