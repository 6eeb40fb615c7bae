package io.dvsflow.models.decoder;

import io.dvsflow.models.decoder.nd4j.Nd4jCnnDecoder;
import io.dvsflow.models.decoder.nd4j.Nd4jLogisticDecoder;
import io.dvsflow.models.decoder.nd4j.Nd4jMlpDecoder;
import java.util.Locale;

/**
 * Which implementation computes an {@link ImageDecoder}: the plain Java layers of {@code
 * decoder.nn} or ND4J ({@code decoder.nd4j}, native BLAS and libnd4j convolutions). Both define the
 * same function with the same parameter names, shapes and initialisation, so a snapshot written by
 * one loads in the other. The choice is stored in the decoder hyperparameters under {@link #KEY};
 * an absent key (every snapshot written before the ND4J backend existed) means {@link #JAVA}.
 *
 * <p>The factory methods build a decoder of this backend; the ND4J classes are only loaded (and the
 * native library only initialised) when {@link #ND4J} is used.
 */
public enum DecoderBackend {
    /** Plain Java loops that skip zero (non-spiking) inputs. */
    JAVA,
    /** ND4J: gemm for the dense layers, im2col + gemm for the convolutions. */
    ND4J;

    /** Hyperparameter key holding the backend name ({@code java} or {@code nd4j}). */
    public static final String KEY = "backend";

    /**
     * Parses {@code java} or {@code nd4j} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static DecoderBackend of(String name) {
        for (DecoderBackend b : values()) {
            if (b.key().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException(
                "unknown decoder backend '" + name + "' (expected java or nd4j)");
    }

    /**
     * Whether this backend's classes are on the class path: always for {@link #JAVA}; for {@link
     * #ND4J} when ND4J is (the cluster job jar leaves it out).
     */
    public boolean available() {
        if (this == JAVA) {
            return true;
        }
        try {
            Class.forName(
                    "org.nd4j.linalg.factory.Nd4j", false, DecoderBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The name stored in hyperparameters and accepted by {@link #of}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A logistic decoder ({@link LogisticDecoder} or {@link Nd4jLogisticDecoder}). */
    public ImageDecoder logistic(int inputSize, int outW, int outH, long seed) {
        return switch (this) {
            case JAVA -> new LogisticDecoder(inputSize, outW, outH, seed);
            case ND4J -> new Nd4jLogisticDecoder(inputSize, outW, outH, seed);
        };
    }

    /** An MLP decoder ({@link MlpDecoder} or {@link Nd4jMlpDecoder}). */
    public ImageDecoder mlp(int inputSize, int hiddenWidth, int outW, int outH, long seed) {
        return switch (this) {
            case JAVA -> new MlpDecoder(inputSize, hiddenWidth, outW, outH, seed);
            case ND4J -> new Nd4jMlpDecoder(inputSize, hiddenWidth, outW, outH, seed);
        };
    }

    /**
     * A CNN decoder ({@link CnnDecoder} or {@link Nd4jCnnDecoder}) reading {@code inC x inH x inW}.
     */
    public ImageDecoder cnn(
            int inC,
            int inH,
            int inW,
            int c1,
            int c2,
            int kernel,
            int stride,
            int outW,
            int outH,
            long seed) {
        return switch (this) {
            case JAVA -> new CnnDecoder(inC, inH, inW, c1, c2, kernel, stride, outW, outH, seed);
            case ND4J ->
                    new Nd4jCnnDecoder(inC, inH, inW, c1, c2, kernel, stride, outW, outH, seed);
        };
    }

    /** A CNN decoder with the defaults for a flattened {@code tauD x nY} window. */
    public ImageDecoder cnnForWindow(int nY, int tauD, int outW, int outH, long seed) {
        return switch (this) {
            case JAVA -> CnnDecoder.forWindow(nY, tauD, outW, outH, seed);
            case ND4J -> Nd4jCnnDecoder.forWindow(nY, tauD, outW, outH, seed);
        };
    }

    /** A CNN decoder with the defaults for a rate vector of {@code nY} values. */
    public ImageDecoder cnnForRate(int nY, int outW, int outH, long seed) {
        return switch (this) {
            case JAVA -> CnnDecoder.forRate(nY, outW, outH, seed);
            case ND4J -> Nd4jCnnDecoder.forRate(nY, outW, outH, seed);
        };
    }
}
