package io.dvsflow.models.training;

import io.dvsflow.models.decoder.CnnDecoder;
import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.decoder.MlpDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import java.util.Locale;

/**
 * The sizes of a new {@link VdibModel} (../shared/docs/learning.md section 1). Defaults of {@link
 * #mnist}: one hidden DECOLLE LIF layer of 600, {@code N_Y} = 256, K = 8 kernels with memory {@code
 * tau_E} = 10 and {@code mu} = 0.5, MLP decoder with 512 hidden units, VDIB (window) decoding with
 * {@code tau_d = T}.
 *
 * @param hidden neurons per hidden LIF layer
 * @param nY readout neurons
 * @param kernels feed-forward raised-cosine kernels K
 * @param tauE kernel memory, steps
 * @param mu kernel log-time compression
 * @param decoder decoder architecture
 * @param decoderHidden hidden width of the MLP decoder
 * @param decoding decoder input mode
 * @param tauD readout window, steps
 * @param readoutGain factor applied to the readout's initial weights (those of {@link
 *     SnnEncoder#random}, uniform in {@code +-1/sqrt(nHidden K)}); 1 keeps them. Larger values make
 *     the initial readout spikes depend on the input instead of being coin flips at {@code p ~
 *     0.5}, which lets the decoder learn from the first updates
 * @param hiddenGain factor applied to the hidden layers' initial weights (biases unchanged). The
 *     DECOLLE trace filters pass {@code (1 - alpha)(1 - beta) = 0.015} of an input spike per step,
 *     so with the default initialisation the drive {@code W P} is tiny against the biases and the
 *     hidden spikes hardly depend on the input; a gain of about 30 makes them input-driven
 * @param decoderBackend implementation of the decoder ({@link DecoderBackend#JAVA} by default; both
 *     backends give the same initial weights and snapshots)
 * @param cnn the CNN decoder's channels, kernel and stride ({@link CnnShape#DEFAULT} unless set)
 */
public record VdibArchitecture(
        int[] hidden,
        int nY,
        int kernels,
        int tauE,
        float mu,
        DecoderType decoder,
        int decoderHidden,
        DecoderInputMode decoding,
        int tauD,
        float readoutGain,
        float hiddenGain,
        DecoderBackend decoderBackend,
        CnnShape cnn) {

    /**
     * The shape of a {@link CnnDecoder}: {@code c1} and {@code c2} channels, {@code kernel x
     * kernel} convolutions with padding {@code kernel / 2} and stride {@code stride}. An input of
     * {@code H x W} gives {@code c2 x H2 x W2} features with {@code H1 = floor((H + 2 floor(k / 2)
     * - k) / s) + 1}, {@code H2} likewise from {@code H1}; the dense layer to the image has {@code
     * c2 H2 W2 x pixels} weights, most of the model's size (stride 4 instead of 2 divides it by
     * about 13 for a 40 x 256 window).
     */
    public record CnnShape(int c1, int c2, int kernel, int stride) {
        /** The paper's defaults: 8 and 16 channels, kernel 5, stride 2. */
        public static final CnnShape DEFAULT =
                new CnnShape(
                        CnnDecoder.DEFAULT_C1,
                        CnnDecoder.DEFAULT_C2,
                        CnnDecoder.DEFAULT_KERNEL,
                        CnnDecoder.DEFAULT_STRIDE);

        /** Validates sizes. */
        public CnnShape {
            if (c1 < 1 || c2 < 1 || kernel < 1 || stride < 1) {
                throw new IllegalArgumentException(
                        "CNN channels, kernel and stride must be positive");
            }
        }
    }

    /** Decoder architectures of paper 004. */
    public enum DecoderType {
        /** {@link LogisticDecoder}. */
        LINEAR,
        /** {@link MlpDecoder}. */
        MLP,
        /** {@link CnnDecoder}. */
        CNN;

        /** Parses linear|mlp|cnn. */
        public static DecoderType of(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** Validates sizes. */
    public VdibArchitecture {
        if (hidden == null
                || hidden.length == 0
                || nY < 1
                || kernels < 1
                || tauE < 1
                || decoderHidden < 1
                || tauD < 1
                || decoder == null
                || decoding == null
                || decoderBackend == null
                || cnn == null) {
            throw new IllegalArgumentException("architecture sizes must be positive");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be positive");
            }
        }
        hidden = hidden.clone();
    }

    /** An architecture with the default CNN shape. */
    public VdibArchitecture(
            int[] hidden,
            int nY,
            int kernels,
            int tauE,
            float mu,
            DecoderType decoder,
            int decoderHidden,
            DecoderInputMode decoding,
            int tauD,
            float readoutGain,
            float hiddenGain,
            DecoderBackend decoderBackend) {
        this(
                hidden,
                nY,
                kernels,
                tauE,
                mu,
                decoder,
                decoderHidden,
                decoding,
                tauD,
                readoutGain,
                hiddenGain,
                decoderBackend,
                CnnShape.DEFAULT);
    }

    /** An architecture with the {@link DecoderBackend#JAVA} decoder. */
    public VdibArchitecture(
            int[] hidden,
            int nY,
            int kernels,
            int tauE,
            float mu,
            DecoderType decoder,
            int decoderHidden,
            DecoderInputMode decoding,
            int tauD,
            float readoutGain,
            float hiddenGain) {
        this(
                hidden,
                nY,
                kernels,
                tauE,
                mu,
                decoder,
                decoderHidden,
                decoding,
                tauD,
                readoutGain,
                hiddenGain,
                DecoderBackend.JAVA);
    }

    /** This architecture with the decoder computed by {@code backend}. */
    public VdibArchitecture withDecoderBackend(DecoderBackend backend) {
        return new VdibArchitecture(
                hidden,
                nY,
                kernels,
                tauE,
                mu,
                decoder,
                decoderHidden,
                decoding,
                tauD,
                readoutGain,
                hiddenGain,
                backend,
                cnn);
    }

    /** This architecture with the CNN decoder shaped {@code shape}. */
    public VdibArchitecture withCnn(CnnShape shape) {
        return new VdibArchitecture(
                hidden,
                nY,
                kernels,
                tauE,
                mu,
                decoder,
                decoderHidden,
                decoding,
                tauD,
                readoutGain,
                hiddenGain,
                decoderBackend,
                shape);
    }

    /** The MNIST reference sizes for {@code T} steps. */
    public static VdibArchitecture mnist(int steps) {
        return new VdibArchitecture(
                new int[] {600},
                256,
                8,
                10,
                0.5f,
                DecoderType.MLP,
                512,
                DecoderInputMode.WINDOW,
                steps,
                1f,
                1f);
    }

    /**
     * A freshly initialised model: encoder from {@link SnnEncoder#random} (DECOLLE LIF, seed {@code
     * seed}), decoder from its constructor on {@link #decoderBackend} (seed {@code seed + 1}), beta
     * and q of the VDIB loss recorded in the model.
     */
    public VdibModel newModel(
            VdibModel.InputSettings input, double beta, double priorQ, long seed, boolean traces) {
        SnnEncoder enc =
                SnnEncoder.random(
                        input.inputSize(),
                        hidden,
                        nY,
                        LifParameters.decolle(),
                        kernels,
                        tauE,
                        mu,
                        traces,
                        seed);
        float[] ro = enc.readout().weights();
        for (int i = 0; i < ro.length; i++) {
            ro[i] *= readoutGain;
        }
        for (int l = 0; l < enc.hiddenLayers(); l++) {
            float[] hw = enc.hidden(l).weights();
            for (int i = 0; i < hw.length; i++) {
                hw[i] *= hiddenGain;
            }
        }
        int in = decoding.inputSize(nY, tauD);
        int w = input.width();
        int h = input.height();
        ImageDecoder dec =
                switch (decoder) {
                    case LINEAR -> decoderBackend.logistic(in, w, h, seed + 1);
                    case MLP -> decoderBackend.mlp(in, decoderHidden, w, h, seed + 1);
                    case CNN -> cnnDecoder(w, h, seed + 1);
                };
        return new VdibModel(enc, dec, decoding, tauD, input, beta, priorQ);
    }

    /**
     * The CNN decoder: a window read as {@code 1 x tau_d x N_Y}; a rate vector as {@code 1 x side x
     * side} when {@code N_Y} is a square, else {@code 1 x 1 x N_Y}.
     */
    private ImageDecoder cnnDecoder(int w, int h, long seed) {
        int[] hw =
                decoding == DecoderInputMode.WINDOW
                        ? new int[] {tauD, nY}
                        : CnnDecoder.rateInputShape(nY);
        return decoderBackend.cnn(
                1, hw[0], hw[1], cnn.c1(), cnn.c2(), cnn.kernel(), cnn.stride(), w, h, seed);
    }
}
