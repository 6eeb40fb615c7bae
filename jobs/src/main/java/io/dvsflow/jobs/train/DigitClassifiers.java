package io.dvsflow.jobs.train;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.snapshot.ModelSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LeNet-5 classifier that scores decoded images (paper 004 Table 1): trained by the project on
 * the MNIST train split of {@link MnistDigits} (8,000 digits, {@link
 * LeNet5Classifier.TrainingOptions#defaults()}: 6 epochs, batch 32, Adam 1e-3, seed 1) and cached
 * as {@code DATA_HOME/models/}{@value #CACHE_NAME}; later runs load the cache.
 */
public final class DigitClassifiers {

    private static final Logger LOG = LoggerFactory.getLogger(DigitClassifiers.class);

    /** File name of the cached classifier under {@code DATA_HOME/models}. */
    public static final String CACHE_NAME = "lenet5-mnist.avro";

    private DigitClassifiers() {}

    /** The cache file under {@code dataHome}. */
    public static Path cacheFile(Path dataHome) {
        return dataHome.resolve("models").resolve(CACHE_NAME);
    }

    /** Loads the classifier cached under {@code dataHome}, else the bundled one. */
    public static LeNet5Classifier cached(Path dataHome, MnistImages images, int threads)
            throws IOException {
        Path file = cacheFile(dataHome);
        if (Files.isRegularFile(file)) {
            return LeNet5Classifier.fromSnapshot(ModelSnapshots.load(file));
        }
        LOG.info(
                "Using the bundled LeNet-5 digit classifier ({} holds none; 'dvsflow train"
                        + " classifier' trains one there)",
                file);
        return BundledModels.lenet5();
    }

    /** Trains a classifier on the train split; returns it (test accuracy is logged). */
    public static LeNet5Classifier train(MnistImages images, int threads, int epochs) {
        return train(images, threads, epochs, 0);
    }

    /**
     * Trains a classifier on the train split with translations of up to {@code maxShift} pixels
     * from the second epoch on ({@link LeNet5Classifier.TrainingOptions#maxShift}).
     */
    public static LeNet5Classifier train(
            MnistImages images, int threads, int epochs, int maxShift) {
        MnistSplit split = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        LeNet5Classifier c = new LeNet5Classifier(MnistDigits.SIDE, MnistDigits.SIDE, 1L);
        c.train(
                images(images, split.train()),
                labels(images, split.train()),
                LeNet5Classifier.TrainingOptions.defaults()
                        .withEpochs(epochs)
                        .withThreads(threads)
                        .withMaxShift(maxShift));
        LOG.info(
                "LeNet-5 test accuracy {}",
                c.accuracy(images(images, split.test()), labels(images, split.test())));
        return c;
    }

    /** Test-split accuracy of {@code c}. */
    public static double testAccuracy(LeNet5Classifier c, MnistImages images) {
        MnistSplit split = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED);
        return c.accuracy(images(images, split.test()), labels(images, split.test()));
    }

    static float[][] images(MnistImages images, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = TrainingData.pixels(images.image(idx[i]));
        }
        return out;
    }

    static int[] labels(MnistImages images, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = images.label(idx[i]);
        }
        return out;
    }
}
