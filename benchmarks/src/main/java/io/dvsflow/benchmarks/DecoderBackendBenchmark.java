package io.dvsflow.benchmarks;

import io.dvsflow.models.decoder.DecoderBackend;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.ImageDecoder;
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
 * One training pass of an image decoder, Java layers against ND4J: {@code zeroGradients}, {@code
 * forward}, {@code backward} with the input gradient (what the spiking readout's learning rule
 * consumes). The score is microseconds per call; a call handles {@code batch} examples.
 *
 * <ul>
 *   <li>{@code mlp}: a flattened window of {@code N_Y = 256} neurons x {@code tau_d = 12} steps
 *       (3072 inputs), binary spikes with probability 0.1, 512 hidden units, a 28x28 image.
 *   <li>{@code cnn}: the decoder {@code VdibArchitecture} builds for MNIST with {@code --decoder
 *       cnn}: window {@code tau_d = T = 30} x {@code N_Y = 256} read as a 1 x 30 x 256 image, conv
 *       5x5 stride 2 to 8 channels, conv 5x5 stride 2 to 16 channels, dense 8192 -> 784; spikes
 *       with probability 0.1.
 * </ul>
 *
 * {@link #afterStep} also marks the parameters changed before the pass, so the ND4J score includes
 * the once-per-optimiser-step copy of the weights into native memory (the Java score is
 * unaffected).
 *
 * <pre>{@code
 * mvn -B -q package -pl benchmarks -am -DskipTests -DskipBenchJar=false
 * java -jar benchmarks/target/benchmarks.jar DecoderBackendBenchmark -wi 2 -i 3 -f 1
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecoderBackendBenchmark {
    private static final int N_Y = 256;
    private static final int MLP_TAU_D = 12;
    private static final int CNN_TAU_D = 30;
    private static final int SIDE = 28;
    private static final double SPIKE_PROBABILITY = 0.1;

    @Param({"java", "nd4j"})
    public String backend;

    @Param({"mlp", "cnn"})
    public String decoder;

    @Param({"1", "32"})
    public int batch;

    private ImageDecoder d;
    private float[] input;
    private float[] output;
    private float[] target;
    private float[] inputGradient;

    @Setup
    public void setup() {
        DecoderBackend b = DecoderBackend.of(backend);
        d =
                switch (decoder) {
                    case "mlp" ->
                            b.mlp(
                                    DecoderInputMode.WINDOW.inputSize(N_Y, MLP_TAU_D),
                                    MlpDecoder.DEFAULT_HIDDEN,
                                    SIDE,
                                    SIDE,
                                    1L);
                    case "cnn" -> b.cnnForWindow(N_Y, CNN_TAU_D, SIDE, SIDE, 1L);
                    default -> throw new IllegalArgumentException(decoder);
                };
        SplittableRandom r = new SplittableRandom(7);
        input = new float[batch * d.inputSize()];
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextDouble() < SPIKE_PROBABILITY ? 1f : 0f;
        }
        target = new float[batch * d.outputSize()];
        for (int i = 0; i < target.length; i++) {
            target[i] = r.nextDouble() < 0.2 ? 1f : 0f;
        }
        output = new float[target.length];
        inputGradient = new float[input.length];
    }

    @Benchmark
    public double forwardBackward() {
        d.zeroGradients();
        d.forward(input, batch, output);
        return d.backward(target, inputGradient);
    }

    @Benchmark
    public double afterStep() {
        d.parametersChanged();
        return forwardBackward();
    }
}
