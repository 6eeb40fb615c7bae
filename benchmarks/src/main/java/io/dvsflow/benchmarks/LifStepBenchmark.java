package io.dvsflow.benchmarks;

import io.dvsflow.models.learning.EncoderGradients;
import io.dvsflow.models.learning.VdibLearner;
import io.dvsflow.models.neuron.EncoderState;
import io.dvsflow.models.neuron.LifLayer;
import io.dvsflow.models.neuron.LifLayerState;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.neuron.SrmReadout;
import io.dvsflow.models.neuron.SrmReadoutState;
import io.dvsflow.models.random.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one step of the VDIB encoder at the MNIST-DVS reference size, one thread: the hidden
 * DECOLLE LIF layer 1352 -> 800 with {@code activePercent}% of the inputs active per step
 * (event-driven, inference state without input traces), the SRM readout 800 -> 256 (K = 8, tauE =
 * 10) fed by the hidden layer's spikes, the whole encoder step, and an encoder step plus VDIB
 * gradient accumulation (training). Inputs are 64 pre-drawn seeded patterns cycled through, so no
 * random drawing is timed except the readout's own Bernoulli draws.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LifStepBenchmark {

    private static final int N_IN = 1352;
    private static final int N_HIDDEN = 800;
    private static final int N_OUT = 256;
    private static final int PATTERNS = 64;

    /** Percentage of inputs active per step. */
    @Param({"5"})
    public int activePercent;

    private int[][] patterns;
    private int[] counts;
    private int cursor;

    private LifLayer hidden;
    private LifLayerState hiddenState;
    private SrmReadout readout;
    private SrmReadoutState readoutState;
    private SrmReadout frozenReadout;
    private SrmReadoutState frozenReadoutState;
    private SnnEncoder inferenceEncoder;
    private EncoderState inferenceState;
    private int[][] hiddenSpikes;
    private int[] hiddenCounts;

    private SnnEncoder encoder;
    private EncoderState encoderState;
    private SnnEncoder trainEncoder;
    private EncoderState trainState;
    private VdibLearner learner;
    private EncoderGradients gradients;

    @Setup
    public void setup() {
        Rng rng = new Rng(2024);
        patterns = new int[PATTERNS][N_IN];
        counts = new int[PATTERNS];
        for (int p = 0; p < PATTERNS; p++) {
            int c = 0;
            for (int i = 0; i < N_IN; i++) {
                if (rng.nextFloat() * 100f < activePercent) {
                    patterns[p][c++] = i;
                }
            }
            counts[p] = c;
        }
        encoder =
                SnnEncoder.random(
                        N_IN,
                        new int[] {N_HIDDEN},
                        N_OUT,
                        LifParameters.decolle(),
                        8,
                        10,
                        0.5f,
                        false,
                        1);
        // shift the hidden biases so that about 5 % of the hidden neurons fire per step
        calibrate(encoder.hidden(0), 0.05);
        hidden = encoder.hidden(0);
        readout = encoder.readout();
        hiddenState = hidden.newState(false);
        readoutState = readout.newState(7);
        encoderState = encoder.newState(7);
        inferenceEncoder = encoder.forInference();
        inferenceState = inferenceEncoder.newState(7);
        frozenReadout = inferenceEncoder.readout();
        frozenReadoutState = frozenReadout.newState(7);
        // hidden spike patterns for the readout-only benchmark
        hiddenSpikes = new int[PATTERNS][];
        hiddenCounts = new int[PATTERNS];
        LifLayerState probe = hidden.newState(false);
        for (int p = 0; p < PATTERNS; p++) {
            hidden.step(probe, patterns[p], counts[p]);
            hiddenSpikes[p] = probe.spikeIndices().clone();
            hiddenCounts[p] = probe.spikeCount();
        }
        trainEncoder =
                SnnEncoder.random(
                        N_IN,
                        new int[] {N_HIDDEN},
                        N_OUT,
                        LifParameters.decolle(),
                        8,
                        10,
                        0.5f,
                        true,
                        1);
        calibrate(trainEncoder.hidden(0), 0.05);
        trainState = trainEncoder.newState(7);
        learner = new VdibLearner(trainEncoder, VdibLearner.Config.reference(3));
        gradients = learner.newGradients();
    }

    /** Bisection on a common bias offset until the mean hidden firing fraction is near target. */
    private void calibrate(LifLayer layer, double target) {
        float[] b = layer.bias();
        float[] base = b.clone();
        double lo = -0.5;
        double hi = 0.5;
        for (int it = 0; it < 30; it++) {
            double mid = 0.5 * (lo + hi);
            for (int j = 0; j < b.length; j++) {
                b[j] = base[j] + (float) mid;
            }
            LifLayerState s = layer.newState(false);
            long spikes = 0;
            for (int r = 0; r < 4; r++) {
                for (int p = 0; p < PATTERNS; p++) {
                    spikes += layer.step(s, patterns[p], counts[p]);
                }
            }
            double frac = spikes / (4.0 * PATTERNS * layer.size());
            if (frac > target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }

    private int next() {
        cursor = (cursor + 1) & (PATTERNS - 1);
        return cursor;
    }

    /** Hidden LIF layer 1352 -> 800, one step. */
    @Benchmark
    public int hiddenStep() {
        int p = next();
        return hidden.step(hiddenState, patterns[p], counts[p]);
    }

    /** SRM readout 800 -> 256, one step (fed by recorded hidden spikes). */
    @Benchmark
    public int readoutStep() {
        int p = next();
        return readout.step(readoutState, hiddenSpikes[p], hiddenCounts[p]);
    }

    /** The same step on the inference copy (per-lag weight table). */
    @Benchmark
    public int readoutStepInference() {
        int p = next();
        return frozenReadout.step(frozenReadoutState, hiddenSpikes[p], hiddenCounts[p]);
    }

    /** Whole encoder step on the inference copy. */
    @Benchmark
    public int encoderStepInference() {
        int p = next();
        return inferenceEncoder.step(inferenceState, patterns[p], counts[p]);
    }

    /** Whole encoder step (hidden + readout). */
    @Benchmark
    public int encoderStep() {
        int p = next();
        return encoder.step(encoderState, patterns[p], counts[p]);
    }

    /** Encoder step with input traces plus VDIB gradient accumulation (training cost per step). */
    @Benchmark
    public int trainingStep() {
        int p = next();
        int n = trainEncoder.step(trainState, patterns[p], counts[p]);
        learner.accumulate(trainState, gradients);
        return n;
    }
}
