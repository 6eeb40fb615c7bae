package io.dvsflow.connectors.emulator;

import io.dvsflow.schemas.EventPacket;

/**
 * The complete state of a {@link DvsEmulator} between two frames, for checkpoints: a new emulator
 * of the same geometry and parameters that {@link DvsEmulator#restore restores} it continues with
 * exactly the events the original would have produced. Arrays are per pixel, row-major ({@code i =
 * y * width + x}); the snapshot owns copies (the emulator copies them again on restore).
 *
 * @param width sensor width (pixels)
 * @param height sensor height (pixels)
 * @param rngState state of the emulator's {@link SplitMix64}
 * @param started whether the first frame was seen
 * @param lastFrameUs time of the last frame (µs)
 * @param thetaOn per-pixel ON thresholds (log units)
 * @param thetaOff per-pixel OFF thresholds (log units)
 * @param leakPerUs per-pixel leak drift of the reference (log units per µs)
 * @param reference per-pixel reference level {@code r} at {@code lastFrameUs} (log units)
 * @param logIntensity per-pixel {@code ln(I + eps)} of the last frame
 * @param filtered per-pixel low-passed log intensity at {@code lastFrameUs}
 * @param intensity per-pixel linear intensity of the last frame
 * @param lastEventUs per-pixel time of the last emitted event (µs)
 * @param pending events produced but not yet handed to a sink (a packet that was not full)
 * @param counters event counters: emitted ON, emitted OFF, refractory drops, shot noise
 */
public record EmulatorSnapshot(
        int width,
        int height,
        long rngState,
        boolean started,
        long lastFrameUs,
        double[] thetaOn,
        double[] thetaOff,
        double[] leakPerUs,
        double[] reference,
        double[] logIntensity,
        double[] filtered,
        float[] intensity,
        long[] lastEventUs,
        EventPacket pending,
        long[] counters) {}
