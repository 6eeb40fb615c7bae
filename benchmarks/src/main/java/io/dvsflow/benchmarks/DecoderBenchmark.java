package io.dvsflow.benchmarks;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.MlpDecoder;
import java.util.SplittableRandom;
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
 * MLP decoder forward pass (hidden width 512) on a flattened readout window of {@code N_Y = 256}
 * neurons x {@code tau_d = 80} steps (20480 inputs) to a 26x26 image, one thread; the score is
 * microseconds per call (a call decodes {@code batch} windows). Inputs are binary spikes with
 * probability {@code spikeProbability} (the readout's typical sparsity; 1.0 gives the dense worst
 * case, since the dense layer skips zero inputs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {
    private static final int N_Y = 256;
    private static final int TAU_D = 80;
    private static final int SIDE = 26;

    @Param({"1", "64"})
    public int batch;

    @Param({"0.1", "1.0"})
    public double spikeProbability;

    private MlpDecoder decoder;
    private float[] input;
    private float[] output;

    @Setup
    public void setup() {
        int in = DecoderInputMode.WINDOW.inputSize(N_Y, TAU_D);
        decoder = new MlpDecoder(in, SIDE, SIDE, 1L);
        SplittableRandom r = new SplittableRandom(7);
        input = new float[batch * in];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextDouble() < spikeProbability ? 1f : 0f;
        }
        output = new float[batch * SIDE * SIDE];
    }

    @Benchmark
    public float[] mlpForward() {
        decoder.forward(input, batch, output);
        return output;
    }
}
