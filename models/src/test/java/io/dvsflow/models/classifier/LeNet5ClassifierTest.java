package io.dvsflow.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.snapshot.ModelSnapshots;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeNet5ClassifierTest {
    private static final int SIDE = 16;

    /** Class c: a bright horizontal bar at row c + 3 plus uniform noise in [0, 0.3). */
    private static float[][] bars(int perClass, SplittableRandom r, int[] labels) {
        float[][] images = new float[perClass * 10][];
        for (int i = 0; i < images.length; i++) {
            int c = i % 10;
            labels[i] = c;
            float[] img = new float[SIDE * SIDE];
            for (int p = 0; p < img.length; p++) {
                img[p] = (float) (0.3 * r.nextDouble());
            }
            for (int col = 2; col < 14; col++) {
                img[(c + 3) * SIDE + col] = 1f;
            }
            images[i] = img;
        }
        return images;
    }

    @Test
    void learnsASeparableSetAndSurvivesASnapshot() {
        SplittableRandom r = new SplittableRandom(3);
        int[] trainLabels = new int[200];
        float[][] train = bars(20, r, trainLabels);
        int[] testLabels = new int[100];
        float[][] test = bars(10, r, testLabels);
        LeNet5Classifier c = new LeNet5Classifier(SIDE, SIDE, 5L);
        double before = c.accuracy(test, testLabels);
        LeNet5Classifier.TrainingReport report =
                c.train(
                        train,
                        trainLabels,
                        LeNet5Classifier.TrainingOptions.defaults().withEpochs(4).withThreads(2));
        assertThat(report.epochLosses().get(3)).isLessThan(report.epochLosses().get(0));
        double after = c.accuracy(test, testLabels);
        assertThat(after).isGreaterThanOrEqualTo(0.95).isGreaterThan(before);
        LeNet5Classifier back =
                LeNet5Classifier.fromSnapshot(
                        ModelSnapshots.fromBytes(
                                ModelSnapshots.toBytes(c.toSnapshot(1L, Map.of("epochs", "4")))));
        assertThat(back.predict(test)).containsExactly(c.predict(test));
        float[] p = c.probabilities(test[0]);
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        assertThat(sum).isBetween(0.999, 1.001);
    }

    @Test
    void sameSeedAndThreadsGiveTheSameModel() {
        SplittableRandom r = new SplittableRandom(4);
        int[] labels = new int[40];
        float[][] train = bars(4, r, labels);
        LeNet5Classifier a = new LeNet5Classifier(SIDE, SIDE, 9L);
        LeNet5Classifier b = new LeNet5Classifier(SIDE, SIDE, 9L);
        LeNet5Classifier.TrainingOptions o =
                LeNet5Classifier.TrainingOptions.defaults().withEpochs(1).withThreads(2);
        a.train(train, labels, o);
        b.train(train, labels, o);
        assertThat(a.toSnapshot(1L, Map.of()).getTensors())
                .isEqualTo(b.toSnapshot(1L, Map.of()).getTensors());
    }
}
