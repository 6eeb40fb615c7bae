package io.dvsflow.models.decoder;

import io.dvsflow.models.snapshot.ModelKind;
import io.dvsflow.models.snapshot.NamedTensor;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An ANN that maps a decoder input (a window of spiking readout vectors, see {@link
 * DecoderInputMode}) to an image with pixels in (0, 1): {@code r_hat = sigmoid(f(input))}.
 *
 * <p>Batches are row-major {@code float[]}: {@code input} holds {@code batch x inputSize()} values,
 * {@code output} and {@code target} {@code batch x outputSize()} (each image row-major, row 0 at
 * the top). A decoder instance keeps the activations of its last {@link #forward} for {@link
 * #backward}; it is not thread-safe, so data-parallel training gives each thread a {@link
 * #replica()}.
 *
 * <p>Loss: the binary cross-entropy of paper 004's {@code l_dec = -log q(r | y)}, summed over the
 * pixels of an image and averaged over the batch: {@code L = (1/B) sum_b sum_p BCE(z_bp, t_bp)}, in
 * nats.
 */
public interface ImageDecoder {

    /** The architecture kind stored in snapshots. */
    ModelKind kind();

    /** Values per input example. */
    int inputSize();

    /** Output image width in pixels. */
    int outputWidth();

    /** Output image height in pixels. */
    int outputHeight();

    /** Pixels per output image. */
    default int outputSize() {
        return outputWidth() * outputHeight();
    }

    /** Layer widths from input to output, for the snapshot's architecture record. */
    List<Integer> layerSizes();

    /** Architecture options that rebuild this decoder (see {@link DecoderSnapshots}). */
    Map<String, String> hyperparameters();

    /**
     * Computes {@code batch} images into {@code output}; keeps the activations for {@link
     * #backward}. Buffers grow on the first call with a larger batch and are reused after.
     */
    void forward(float[] input, int batch, float[] output);

    /**
     * Back-propagates the loss of the last {@link #forward} against {@code target}: adds {@code
     * dL/dθ} to every parameter gradient (call {@link #zeroGradients()} first) and, when {@code
     * inputGradient} is not null, writes {@code dL/dinput} ({@code batch x inputSize()} values)
     * into it, which is what the spiking readout's learning rule consumes.
     *
     * @return the loss {@code L} (mean over the batch of the per-image BCE sum)
     */
    double backward(float[] target, float[] inputGradient);

    /** Sets all parameter gradients to zero. */
    void zeroGradients();

    /**
     * Live views of the parameters, in a fixed order (names unique). Whoever writes them in place
     * calls {@link #parametersChanged()} afterwards.
     */
    List<NamedTensor> parameters();

    /** Live views of the gradients, same order and names as {@link #parameters()}. */
    List<NamedTensor> gradients();

    /**
     * Copies values into the parameters of the same names.
     *
     * @throws IllegalArgumentException naming the tensor for a missing name or a shape mismatch
     */
    void setParameters(Collection<NamedTensor> values);

    /** A decoder sharing this one's parameters, with its own buffers and gradients. */
    ImageDecoder replica();

    /**
     * Tells the decoder that the values behind {@link #parameters()} were changed in place (by an
     * optimiser step, a finite-difference probe or any other direct write). Backends that keep a
     * copy of the parameters outside the {@code float[]} arrays (the ND4J decoders keep native
     * mirrors) re-copy them once, on their next {@link #forward}; the notice reaches every {@link
     * #replica()} sharing the parameters. {@link #setParameters} calls it itself. The plain Java
     * decoders compute from the arrays directly and ignore it.
     */
    default void parametersChanged() {}

    /**
     * The implementation computing this decoder ({@link DecoderBackend#JAVA} unless overridden).
     */
    default DecoderBackend backend() {
        return DecoderBackend.JAVA;
    }
}
