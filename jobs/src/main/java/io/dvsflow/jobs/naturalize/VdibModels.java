package io.dvsflow.jobs.naturalize;

import io.dvsflow.jobs.train.BundledModels;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Start models for the VDIB job: a saved snapshot file, or an untrained one for the streaming demo
 * and benchmarks when no trained model is at hand.
 */
public final class VdibModels {

    /** Sensor x and y of the untrained model's crop (the emulated MNIST-DVS digit's area). */
    public static final int CROP = 48;

    /** Side of the untrained model's crop and decoder image, pixels. */
    public static final int SIDE = 32;

    private VdibModels() {}

    /**
     * The MNIST-DVS model bundled in the jobs jar ({@link BundledModels#MNIST_DVS}) as
     * single-object encoded bytes, or null when this build has none.
     */
    public static byte[] bundledMnistDvs() throws IOException {
        try (InputStream in = BundledModels.class.getResourceAsStream(BundledModels.MNIST_DVS)) {
            if (in == null) {
                return null;
            }
            Path tmp = Files.createTempFile("dvsflow-model", ".avro");
            try {
                Files.write(tmp, in.readAllBytes());
                return load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** A snapshot file ({@link ModelSnapshots#load}) as single-object encoded bytes. */
    public static byte[] load(Path file) throws IOException {
        return ModelSnapshots.toBytes(ModelSnapshots.load(file));
    }

    /**
     * An untrained MNIST-DVS model (version 0): DVS input, crop {@code 32 x 32} at (48, 48) of a
     * 128 x 128 sensor, 25 ms bins (T = 80 for 2 s), one hidden DECOLLE LIF layer of 256, N_Y = 64
     * stochastic readouts with K = 4 kernels of memory 10, logistic decoder on a window of tau_d =
     * 20 bins, 32 x 32 image; VDIB beta 1e-3, prior q 0.3. Random weights from {@code seed}: its
     * images mean nothing until it has learned.
     */
    public static VdibModel untrained(long seed) {
        int nIn = 2 * SIDE * SIDE;
        int nY = 64;
        int tauD = 20;
        SnnEncoder enc =
                SnnEncoder.random(
                        nIn, new int[] {256}, nY, LifParameters.decolle(), 4, 10, 0.5f, true, seed);
        return new VdibModel(
                enc,
                new LogisticDecoder(nY * tauD, SIDE, SIDE, seed + 1),
                DecoderInputMode.WINDOW,
                tauD,
                VdibModel.InputSettings.dvs(SIDE, SIDE, CROP, CROP, 80, 25_000L),
                1e-3,
                0.3);
    }

    /** {@link #untrained} as single-object encoded bytes. */
    public static byte[] untrainedBytes(long seed) {
        return ModelSnapshots.toBytes(
                untrained(seed).toSnapshot(0L, Map.of("origin", "untrained, seed " + seed)));
    }
}
