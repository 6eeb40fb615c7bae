package io.dvsflow.models.training;

import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.ReadoutWindow;
import io.dvsflow.models.encoding.RateEncoder;
import io.dvsflow.models.encoding.TtfsEncoder;
import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.random.Rng;

/**
 * Runs one {@link VdibSample} through a {@link VdibModel} offline: codes the input into spikes for
 * {@code T = model.steps()} steps, steps the encoder, keeps the last {@code tau_d} readout vectors
 * and decodes them once after the last step. With a learner it also accumulates the encoder's VDIB
 * gradients every step.
 *
 * <p>Randomness: the sample seed {@code s} seeds the readout's generator ({@code s}) and, for rate
 * coding, the input generator ({@code s ^ 0x5851F42D4C957F2DL}), so a sample's spikes are a pure
 * function of the model, the sample and its seed. TTFS and binned inputs are deterministic.
 *
 * <p>One runner per thread (it owns the encoder state, the window and a decoder replica).
 */
public final class VdibRunner {

    private final VdibModel model;
    private final SnnEncoder encoder;
    private final EncoderState state;
    private final ReadoutWindow window;
    private final ImageDecoder decoder;
    private final RateEncoder rate;
    private final TtfsEncoder ttfs;
    private final Rng inputRng = new Rng(0);
    private final int[] active;
    private final float[] y;
    private final float[] decoderInput;
    private final float[] inputGrad;
    private final float[] windowGrad;
    private long readoutSpikes;
    private long hiddenSpikes;

    /** A runner over the model's live parameters, with its own decoder replica. */
    public VdibRunner(VdibModel model) {
        this.model = model;
        this.encoder = model.encoder();
        this.state = encoder.newState(0);
        this.window = new ReadoutWindow(model.nY(), model.tauD());
        this.decoder = model.decoder().replica();
        VdibModel.InputSettings in = model.input();
        this.rate = new RateEncoder(in.rateScale());
        this.ttfs =
                in.encoding() == VdibModel.Encoding.TTFS
                        ? new TtfsEncoder(in.inputSize(), in.steps())
                        : null;
        this.active = new int[in.inputSize()];
        this.y = new float[model.nY()];
        this.decoderInput = new float[model.decoding().inputSize(model.nY(), model.tauD())];
        this.inputGrad = new float[decoderInput.length];
        this.windowGrad = new float[model.nY() * model.tauD()];
    }

    /** This runner's decoder replica (its gradients hold what {@link #backward} added). */
    public ImageDecoder decoder() {
        return decoder;
    }

    /** Readout spikes of the last {@link #encode}. */
    public long readoutSpikes() {
        return readoutSpikes;
    }

    /** Hidden spikes (all layers) of the last {@link #encode}. */
    public long hiddenSpikes() {
        return hiddenSpikes;
    }

    /**
     * Runs the encoder over the sample; when {@code learner} is not null, accumulates into {@code
     * g} every step. Then the decoder input is ready for {@link #decode}.
     */
    public void encode(VdibSample s, long seed, VdibLearner learner, EncoderGradients g) {
        run(s, seed, learner, g, false);
    }

    /**
     * Runs the encoder over the sample again with the same seed (so the same spikes as the last
     * {@link #encode} with that seed and the same parameters) and accumulates into {@code g} with
     * {@link VdibLearner#accumulatePathwise}, using the decoder's gradient with respect to the
     * window entries from the last {@link #backwardWithInputGradient}: step {@code t} reads window
     * slot {@code t - (T - tau_d)}; steps before the window get only the KL term.
     */
    public void encodePathwise(VdibSample s, long seed, VdibLearner learner, EncoderGradients g) {
        run(s, seed, learner, g, true);
    }

    private void run(
            VdibSample s, long seed, VdibLearner learner, EncoderGradients g, boolean pathwise) {
        state.reset(seed);
        window.clear();
        int steps = model.steps();
        VdibModel.Encoding enc = model.input().encoding();
        float[] image = s.image();
        if (enc == VdibModel.Encoding.TTFS) {
            ttfs.load(image);
        } else if (enc == VdibModel.Encoding.RATE) {
            inputRng.setState(seed ^ 0x5851F42D4C957F2DL);
        }
        readoutSpikes = 0;
        hiddenSpikes = 0;
        int[] offsets = s.offsets();
        for (int t = 0; t < steps; t++) {
            int count;
            int[] in = active;
            if (offsets != null) {
                if (t < offsets.length - 1) {
                    count = offsets[t + 1] - offsets[t];
                    System.arraycopy(s.indices(), offsets[t], active, 0, count);
                } else {
                    count = 0;
                }
            } else if (enc == VdibModel.Encoding.TTFS) {
                count = ttfs.step(t, active);
            } else {
                count = rate.step(image, inputRng, active);
            }
            int k = encoder.step(state, in, count);
            for (int l = 0; l < state.hiddenLayers(); l++) {
                hiddenSpikes += state.hidden(l).spikeCount();
            }
            readoutSpikes += k;
            if (pathwise) {
                int slot = t - (steps - model.tauD());
                learner.accumulatePathwise(
                        state, g, slot >= 0 ? windowGrad : null, Math.max(slot, 0) * model.nY());
            } else if (learner != null) {
                learner.accumulate(state, g);
            }
            java.util.Arrays.fill(y, 0f);
            int[] idx = state.readoutSpikes();
            for (int q = 0; q < k; q++) {
                y[idx[q]] = 1f;
            }
            window.push(y);
        }
        window.encode(model.decoding(), decoderInput, 0);
    }

    /** Decodes the encoded window into {@code image} (the decoder's output size). */
    public void decode(float[] image) {
        decoder.forward(decoderInput, 1, image);
    }

    /**
     * The mean of {@code draws} decoded images of one sample, {@code r_hat = (1 / D) sum_d
     * dec(y^(d))}, where draw {@code d} encodes with the seed {@code seed + d 2^32} (draw 0 is
     * {@link #encode} with {@code seed}, so one draw equals {@link #encode} then {@link #decode}).
     * Averaging over the stochastic readout's draws is a Monte Carlo estimate of the expected
     * decoded image; it costs {@code D} encodings.
     *
     * @param scratch an image-sized buffer
     */
    public void decodeMean(VdibSample s, long seed, int draws, float[] image, float[] scratch) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be positive, got " + draws);
        }
        java.util.Arrays.fill(image, 0f);
        for (int d = 0; d < draws; d++) {
            encode(s, seed + ((long) d << 32), null, null);
            decode(scratch);
            for (int i = 0; i < image.length; i++) {
                image[i] += scratch[i];
            }
        }
        float inv = 1f / draws;
        for (int i = 0; i < image.length; i++) {
            image[i] *= inv;
        }
    }

    /**
     * Back-propagates the last {@link #decode} against {@code target}, adding to the replica's
     * gradients.
     *
     * @return the decoder loss (BCE summed over pixels, nats)
     */
    public double backward(float[] target) {
        return decoder.backward(target, null);
    }

    /**
     * {@link #backward} that also keeps {@code dl_dec / dy} of every window entry for {@link
     * #encodePathwise}.
     *
     * @return the decoder loss (BCE summed over pixels, nats)
     */
    public double backwardWithInputGradient(float[] target) {
        double loss = decoder.backward(target, inputGrad);
        model.decoding().windowGradient(inputGrad, model.nY(), model.tauD(), windowGrad);
        return loss;
    }
}
