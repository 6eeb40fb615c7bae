package io.dvsflow.models.learning;

import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.LifLayer;
import io.dvsflow.models.neuron.LifLayerState;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.neuron.SrmReadout;
import io.dvsflow.models.neuron.SrmReadoutState;
import io.dvsflow.models.neuron.StateCodec;
import io.dvsflow.models.random.Rng;

/**
 * VDIB training of an {@link SnnEncoder} (paper 004 eq. 8-22, ../shared/docs/learning.md section
 * 1), usable one time step at a time.
 *
 * <p>Per step, after {@code encoder.step(state, ...)}, {@link #accumulate} adds to an {@link
 * EncoderGradients}:
 *
 * <pre>
 * readout (eq. 19), d_i,t = y_i,t - p_i,t:
 *   g[W_ij,k] += d_i,t (a_k * z_j)_t      g[w_i] += d_i,t (b * y_i)_{t-1}      g[bias_i] += d_i,t
 * hidden layer l (e-prop with direct feedback alignment, eq. 20-22):
 *   L_j,t = sum_k B^l_jk d_k,t           (B^l fixed, N(0,1)/sqrt(N_Y), drawn from feedbackSeed)
 *   g[W_ji] += L_j,t psi(U_j,t - thr) P_i,t     g[b_j] += L_j,t psi(U_j,t - thr)
 * l_enc += sum_i KL sample (VdibLoss.klStep)
 * </pre>
 *
 * When the reference arrives (after T steps offline, on a reference frame online), {@link #update}
 * forms the global learning signal {@code loss = l_dec + beta l_enc}, keeps for every parameter the
 * REINFORCE baseline {@code b = E[g^2 loss] / (E[g^2] + 1e-7)} as moving averages (new value weight
 * {@code 1 - kappa}, reference 0.01, including the current sample), replaces each accumulator by
 * the gradient estimate {@code (loss - b) g} and applies one {@link Adam} step (descent). For data-
 * parallel minibatches call {@link #finishSample} per sample, {@link EncoderGradients#add} and
 * {@link EncoderGradients#scale}, then {@link #applyGradients}.
 *
 * <p>Costs per step: readout {@code O(window inputs x K x N_Y)}; hidden {@code O(N_H x N_Y)} for
 * the learning signals plus {@code O(inputs with P_i != 0 x N_H)} for the eligibilities. The hidden
 * states must keep input traces ({@link SnnEncoder#inputTraces()}).
 *
 * <p>Not thread-safe; one learner per model replica.
 */
public final class VdibLearner {

    private static final int MAGIC = 0x4446_4456; // dvsflow VDIB learner
    private static final byte VERSION = 1;
    private static final double BASELINE_EPS = 1e-7;
    private static final double PROB_FLOOR = 1e-6;

    /**
     * Hyperparameters.
     *
     * @param beta weight of the KL term (reference 1e-3)
     * @param priorQ Bernoulli prior rate q in (0, 1) (reference 0.3 for MNIST, 0.1 eprop-fixed)
     * @param learningRate Adam learning rate (reference 1e-3)
     * @param kappa baseline moving-average decay in [0, 1) (reference 0.99: new value weight 0.01)
     * @param feedbackSeed seed of the fixed random feedback matrices B
     */
    public record Config(
            double beta, double priorQ, double learningRate, double kappa, long feedbackSeed) {
        /** Validates ranges. */
        public Config {
            if (!(beta >= 0)
                    || !(priorQ > 0 && priorQ < 1)
                    || !(learningRate > 0)
                    || !(kappa >= 0 && kappa < 1)) {
                throw new IllegalArgumentException(
                        "need beta >= 0, 0 < priorQ < 1, learningRate > 0, 0 <= kappa < 1");
            }
        }

        /** The MNIST reference: beta 1e-3, q 0.3, lr 1e-3, kappa 0.99. */
        public static Config reference(long feedbackSeed) {
            return new Config(1e-3, 0.3, 1e-3, 0.99, feedbackSeed);
        }
    }

    private final SnnEncoder encoder;
    private final Config config;
    private final float[][] feedback;
    private final float[][] params;
    private final int[] sizes;
    private final float[][] baseNum;
    private final float[][] baseDen;
    private final Adam adam;
    private final float[] d;
    private final float[][] hiddenSignal;

    /** A learner for {@code encoder}, whose parameter arrays it updates in place. */
    public VdibLearner(SnnEncoder encoder, Config config) {
        if (!encoder.inputTraces()) {
            throw new IllegalArgumentException("the encoder must keep input traces for e-prop");
        }
        this.encoder = encoder;
        this.config = config;
        int layers = encoder.hiddenLayers();
        int nOut = encoder.outputs();
        Rng rng = new Rng(config.feedbackSeed());
        feedback = new float[layers][];
        hiddenSignal = new float[layers][];
        double scale = 1.0 / Math.sqrt(nOut);
        for (int l = 0; l < layers; l++) {
            int n = encoder.hidden(l).size();
            feedback[l] = new float[n * nOut];
            for (int i = 0; i < feedback[l].length; i++) {
                feedback[l][i] = (float) (rng.nextGaussian() * scale);
            }
            hiddenSignal[l] = new float[n];
        }
        params = parameters(encoder);
        sizes = new int[params.length];
        baseNum = new float[params.length][];
        baseDen = new float[params.length][];
        for (int k = 0; k < params.length; k++) {
            sizes[k] = params[k].length;
            baseNum[k] = new float[sizes[k]];
            baseDen[k] = new float[sizes[k]];
        }
        adam = new Adam(sizes, config.learningRate());
        d = new float[nOut];
    }

    /**
     * The trainable tensors of {@code encoder} in accumulator order: per hidden layer weights then
     * biases, then readout weights, feedback weights, biases (live arrays).
     */
    public static float[][] parameters(SnnEncoder encoder) {
        int layers = encoder.hiddenLayers();
        float[][] p = new float[2 * layers + 3][];
        for (int l = 0; l < layers; l++) {
            p[2 * l] = encoder.hidden(l).weights();
            p[2 * l + 1] = encoder.hidden(l).bias();
        }
        SrmReadout ro = encoder.readout();
        p[2 * layers] = ro.weights();
        p[2 * layers + 1] = ro.feedbackWeights();
        p[2 * layers + 2] = ro.bias();
        return p;
    }

    /** The hyperparameters. */
    public Config config() {
        return config;
    }

    /**
     * The fixed feedback matrix of hidden layer {@code l}, {@code B[j * N_Y + k]} (live; tests may
     * overwrite it, e.g. with the symmetric choice).
     */
    public float[] feedback(int l) {
        return feedback[l];
    }

    /** A zeroed accumulator matching this encoder. */
    public EncoderGradients newGradients() {
        return new EncoderGradients(sizes);
    }

    /**
     * Adds the current step of {@code s} (just stepped by the encoder) to {@code g}: the score
     * function {@code d_i,t = y_i,t - p_i,t} of {@link GradientEstimator#REINFORCE}, turned into a
     * gradient estimate by {@link #finishSample}.
     */
    public void accumulate(EncoderState s, EncoderGradients g) {
        SrmReadoutState rs = s.readout();
        float[] p = rs.probabilities();
        byte[] y = rs.spikes();
        for (int i = 0; i < d.length; i++) {
            d[i] = y[i] - p[i];
        }
        accumulateSignal(s, g);
    }

    /**
     * Adds the current step of {@code s} to {@code g} as a {@link GradientEstimator#PATHWISE}
     * gradient: {@code d_i,t = (dl_dec/dy_i,t + beta (logit p_i,t - logit q)) p_i,t (1 - p_i,t)},
     * the derivative of {@code l_dec} (linearised in {@code y_i,t}) plus {@code beta} times the
     * step's expected KL, {@code KL(Bern(p) || Bern(q))}, with respect to the membrane potential
     * {@code u_i,t} (the readout's {@code dp/du = p (1 - p)}). The effect of {@code y_i,t} on later
     * steps through the feedback kernel is truncated, as in e-prop. {@code g} is already a
     * gradient: no {@link #finishSample} (use {@link #finishPathwise}).
     *
     * @param dLdy {@code dl_dec / dy_i,t}, nats per spike, at {@code dLdy[offset + i]}; null for a
     *     step the decoder does not read (only the KL term then)
     */
    public void accumulatePathwise(EncoderState s, EncoderGradients g, float[] dLdy, int offset) {
        float[] p = s.readout().probabilities();
        double beta = config.beta();
        double q = config.priorQ();
        double logitQ = Math.log(q / (1 - q));
        for (int i = 0; i < d.length; i++) {
            double pi = Math.min(Math.max(p[i], PROB_FLOOR), 1 - PROB_FLOOR);
            double dec = dLdy == null ? 0 : dLdy[offset + i];
            double kl = beta * (Math.log(pi / (1 - pi)) - logitQ);
            d[i] = (float) ((dec + kl) * pi * (1 - pi));
        }
        accumulateSignal(s, g);
    }

    /**
     * The global loss {@code l_dec + beta l_enc} of a sample accumulated with {@link
     * #accumulatePathwise}; {@code g} is left as it is (it is already the gradient).
     */
    public double finishPathwise(EncoderGradients g, double decoderLoss) {
        if (!Double.isFinite(decoderLoss)) {
            throw new IllegalArgumentException("decoder loss must be finite, got " + decoderLoss);
        }
        return decoderLoss + config.beta() * g.klSum;
    }

    private void accumulateSignal(EncoderState s, EncoderGradients g) {
        SrmReadoutState rs = s.readout();
        readoutSignal(rs.traces(), 0, rs.window(), rs.windowCount(), rs.feedbackTraces(), 0, g);
        for (int l = 0; l < encoder.hiddenLayers(); l++) {
            LifLayerState hs = s.hidden(l);
            hiddenSignal(l, hs.potentials(), 0, hs.inputTraces(), 0, g);
        }
        g.klSum += VdibLoss.klStep(rs.spikes(), rs.probabilities(), config.priorQ(), d.length);
        g.steps++;
    }

    /**
     * The readout's part of the signal {@code d}: kernel traces at {@code tr[trOff + j K + k]} for
     * the {@code winCount} inputs {@code j} of {@code win} (all inputs when {@code win} is null),
     * feedback traces at {@code fb[fbOff + i]}.
     */
    private void readoutSignal(
            float[] tr,
            int trOff,
            int[] win,
            int winCount,
            float[] fb,
            int fbOff,
            EncoderGradients g) {
        SrmReadout ro = encoder.readout();
        int nOut = ro.size();
        int kk = ro.kernels();
        int layers = encoder.hiddenLayers();
        float[] gW = g.tensors[2 * layers];
        float[] gFb = g.tensors[2 * layers + 1];
        float[] gB = g.tensors[2 * layers + 2];
        int inputs = win == null ? ro.inputs() : winCount;
        for (int c = 0; c < inputs; c++) {
            int j = win == null ? c : win[c];
            for (int b = 0; b < kk; b++) {
                float t = tr[trOff + j * kk + b];
                if (t == 0f) {
                    continue;
                }
                int off = (j * kk + b) * nOut;
                for (int i = 0; i < nOut; i++) {
                    gW[off + i] += t * d[i];
                }
            }
        }
        for (int i = 0; i < nOut; i++) {
            gFb[i] += d[i] * fb[fbOff + i];
            gB[i] += d[i];
        }
    }

    /**
     * Hidden layer {@code l}'s part: learning signal {@code h_j = psi(u_j) sum_k B_jk d_k} with the
     * potentials at {@code u[uOff + j]}, eligibilities {@code P_i h_j} with the input traces at
     * {@code pin[pinOff + i]}.
     */
    private void hiddenSignal(
            int l, float[] u, int uOff, float[] pin, int pinOff, EncoderGradients g) {
        LifLayer layer = encoder.hidden(l);
        LifParameters lp = layer.parameters();
        int nOut = d.length;
        int n = layer.size();
        float[] bl = feedback[l];
        float[] h = hiddenSignal[l];
        boolean any = false;
        for (int j = 0; j < n; j++) {
            float psi = lp.surrogateDerivative(u[uOff + j]);
            float sig = 0f;
            if (psi != 0f) {
                int off = j * nOut;
                for (int k = 0; k < nOut; k++) {
                    sig += bl[off + k] * d[k];
                }
            }
            h[j] = sig * psi;
            any |= h[j] != 0f;
        }
        if (!any) {
            return;
        }
        float[] ghW = g.tensors[2 * l];
        float[] ghB = g.tensors[2 * l + 1];
        for (int j = 0; j < n; j++) {
            ghB[j] += h[j];
        }
        int nIn = layer.inputs();
        for (int i = 0; i < nIn; i++) {
            float pi = pin[pinOff + i];
            if (pi == 0f) {
                continue;
            }
            int off = i * n;
            for (int j = 0; j < n; j++) {
                ghW[off + j] += pi * h[j];
            }
        }
    }

    /**
     * Adds the decoder's part of the {@link GradientEstimator#PATHWISE} gradient for the steps
     * recorded in {@code h} to {@code g}: the recorded step at window position {@code k} (the
     * oldest of {@code count} recorded steps at {@code tau_d - count}) gets {@code d_i =
     * dl_dec/dy_i,k p_i,k (1 - p_i,k)} with {@code dl_dec/dy_i,k} at {@code windowGrad[k N_Y + i]}.
     * The KL part is not added: a streaming encoder adds it at every step with {@link
     * #accumulatePathwise}{@code (s, g, null, 0)}; both parts together equal the offline estimate,
     * as {@code g} is linear in {@code d}. Neither {@code g}'s KL sum nor its step count change.
     *
     * @param windowGrad {@code tau_d x N_Y} values ({@code DecoderInputMode.windowGradient})
     */
    public void accumulateDecoderPathwise(
            PathwiseHistory h, EncoderGradients g, float[] windowGrad) {
        int nOut = d.length;
        int tauD = h.capacity();
        if (h.nY() != nOut || windowGrad.length < tauD * nOut) {
            throw new IllegalArgumentException("history or window gradient does not match");
        }
        float[] data = h.data();
        int count = h.count();
        for (int j = 0; j < count; j++) {
            int base = h.offset(h.slotOf(j));
            int pos = (tauD - count + j) * nOut;
            for (int i = 0; i < nOut; i++) {
                double pi = Math.min(Math.max(data[base + i], PROB_FLOOR), 1 - PROB_FLOOR);
                d[i] = (float) (windowGrad[pos + i] * pi * (1 - pi));
            }
            int tr = base + 2 * nOut;
            readoutSignal(data, tr, null, 0, data, base + nOut, g);
            int off = tr + h.readoutInputs() * h.kernels();
            for (int l = 0; l < encoder.hiddenLayers(); l++) {
                int uOff = off;
                off += h.layerSize(l);
                hiddenSignal(l, data, uOff, data, off, g);
                off += h.layerInputs(l);
            }
        }
    }

    /**
     * Turns {@code g} into the REINFORCE gradient estimate in place, updating the per-parameter
     * baselines with this sample.
     *
     * @return the global learning signal {@code loss = l_dec + beta l_enc}
     */
    public double finishSample(EncoderGradients g, DecoderFeedback feedbackSignal) {
        double dec = feedbackSignal.loss();
        if (!Double.isFinite(dec)) {
            throw new IllegalArgumentException("decoder loss must be finite, got " + dec);
        }
        double loss = dec + config.beta() * g.klSum;
        float kappa = (float) config.kappa();
        float w = 1f - kappa;
        float lossF = (float) loss;
        for (int k = 0; k < g.tensors.length; k++) {
            float[] t = g.tensors[k];
            float[] num = baseNum[k];
            float[] den = baseDen[k];
            for (int i = 0; i < t.length; i++) {
                float gi = t[i];
                float g2 = gi * gi;
                float base = (float) (num[i] / (den[i] + BASELINE_EPS));
                t[i] = (lossF - base) * gi;
                num[i] = kappa * num[i] + w * g2 * lossF;
                den[i] = kappa * den[i] + w * g2;
            }
        }
        return loss;
    }

    /**
     * Scales the encoder's learning rate of the next {@link #applyGradients} steps to {@code factor
     * x learningRate} (a schedule's value, see {@link Adam#setLearningRateFactor}).
     */
    public void setLearningRateFactor(double factor) {
        adam.setLearningRateFactor(factor);
    }

    /** One Adam step with the (finished) gradients, then clears {@code g}. */
    public void applyGradients(EncoderGradients g) {
        if (encoder.readout().frozen()) {
            throw new IllegalStateException(
                    "the encoder is an inference copy (SnnEncoder.forInference); learn on the"
                            + " original");
        }
        adam.step(params, g.tensors);
        g.clear();
    }

    /**
     * {@link #finishSample} then {@link #applyGradients}.
     *
     * @return the global learning signal of this sample
     */
    public double update(EncoderGradients g, DecoderFeedback feedbackSignal) {
        double loss = finishSample(g, feedbackSignal);
        applyGradients(g);
        return loss;
    }

    /** Optimiser and baseline state (the feedback matrices are re-derived from the seed). */
    public byte[] toBytes() {
        StateCodec.Writer w = new StateCodec.Writer(1024);
        w.header(MAGIC, VERSION).putInt(params.length);
        for (int k = 0; k < params.length; k++) {
            w.putFloats(baseNum[k]).putFloats(baseDen[k]);
        }
        w.putBytes(adam.toBytes());
        return w.toByteArray();
    }

    /**
     * Restores {@link #toBytes()} output of a learner for the same encoder shape.
     *
     * @throws IllegalArgumentException on mismatch or corruption
     */
    public void restore(byte[] data) {
        StateCodec.Reader r = new StateCodec.Reader(data, "VDIB learner");
        r.header(MAGIC, VERSION);
        r.getInt("tensors", params.length, params.length);
        float[][] num = new float[params.length][];
        float[][] den = new float[params.length][];
        for (int k = 0; k < params.length; k++) {
            num[k] = new float[sizes[k]];
            den[k] = new float[sizes[k]];
            r.getFloats("baseline numerator", num[k]);
            r.getFloats("baseline denominator", den[k]);
        }
        byte[] adamBytes = r.getBlob("adam", Integer.MAX_VALUE);
        r.end();
        adam.restore(adamBytes);
        for (int k = 0; k < params.length; k++) {
            System.arraycopy(num[k], 0, baseNum[k], 0, sizes[k]);
            System.arraycopy(den[k], 0, baseDen[k], 0, sizes[k]);
        }
    }
}
