package io.dvsflow.models.decoder.nd4j;

import io.dvsflow.models.decoder.CnnDecoder;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.decoder.MlpDecoder;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A Java decoder and its ND4J twin built with the same sizes and seed. */
record DecoderPair(String name, Supplier<ImageDecoder> java, Supplier<ImageDecoder> nd4j) {

    @Override
    public String toString() {
        return name;
    }

    static Stream<DecoderPair> all() {
        return Stream.of(
                new DecoderPair(
                        "logistic 12 -> 4x3",
                        () -> new LogisticDecoder(12, 4, 3, 21L),
                        () -> new Nd4jLogisticDecoder(12, 4, 3, 21L)),
                new DecoderPair(
                        "mlp 40 -> 16 -> 5x4",
                        () -> new MlpDecoder(40, 16, 5, 4, 22L),
                        () -> new Nd4jMlpDecoder(40, 16, 5, 4, 22L)),
                new DecoderPair(
                        "cnn window 12x9 k5 s2",
                        () -> CnnDecoder.forWindow(12, 9, 5, 4, 23L),
                        () -> Nd4jCnnDecoder.forWindow(12, 9, 5, 4, 23L)),
                new DecoderPair(
                        "cnn 1x5x6 k3 s1",
                        () -> new CnnDecoder(1, 5, 6, 2, 3, 3, 1, 3, 2, 24L),
                        () -> new Nd4jCnnDecoder(1, 5, 6, 2, 3, 3, 1, 3, 2, 24L)),
                new DecoderPair(
                        "cnn 2x6x5 k3 s2",
                        () -> new CnnDecoder(2, 6, 5, 2, 2, 3, 2, 2, 2, 25L),
                        () -> new Nd4jCnnDecoder(2, 6, 5, 2, 2, 3, 2, 2, 2, 25L)));
    }

    /** Binary spikes with probability 0.3 in the first half, uniform in [-1, 1] in the rest. */
    static float[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < n / 2 ? (r.nextDouble() < 0.3 ? 1f : 0f) : (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Targets uniform in [0, 1]. */
    static float[] target(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) r.nextDouble();
        }
        return t;
    }
}
