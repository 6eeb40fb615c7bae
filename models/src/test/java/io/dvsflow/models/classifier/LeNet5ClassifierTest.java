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

    @Test
    void translateMovesPixelsAndShiftsInZeros() {
        // 3 x 4 image with values 1..12; dx = 1 (right), dy = -1 (up):
        // out[y][x] = in[y + 1][x - 1], column 0 and the last row become 0
        float[] in = new float[12];
        for (int i = 0; i < 12; i++) {
            in[i] = i + 1;
        }
        float[] out = new float[12];
        LeNet5Classifier.translate(in, 3, 4, 1, -1, out);
        assertThat(out).containsExactly(0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0);
        LeNet5Classifier.translate(in, 3, 4, 0, 0, out);
        assertThat(out).containsExactly(in);
        LeNet5Classifier.translate(in, 3, 4, -4, 0, out);
        assertThat(out).containsOnly(0f);
    }

    @Test
    void shiftAugmentedTrainingIsSeededAndStillLearns() {
        SplittableRandom r = new SplittableRandom(3);
        int[] trainLabels = new int[200];
        float[][] train = bars(20, r, trainLabels);
        float[] first = train[0].clone();
        int[] testLabels = new int[100];
        float[][] test = bars(10, r, testLabels);
        LeNet5Classifier.TrainingOptions o =
                LeNet5Classifier.TrainingOptions.defaults()
                        .withEpochs(4)
                        .withThreads(2)
                        .withMaxShift(1);
        LeNet5Classifier a = new LeNet5Classifier(SIDE, SIDE, 5L);
        LeNet5Classifier b = new LeNet5Classifier(SIDE, SIDE, 5L);
        LeNet5Classifier plain = new LeNet5Classifier(SIDE, SIDE, 5L);
        a.train(train, trainLabels, o);
        b.train(train, trainLabels, o);
        plain.train(train, trainLabels, o.withMaxShift(0));
        assertThat(train[0]).containsExactly(first); // the caller's images are not touched
        assertThat(a.toSnapshot(1L, Map.of()).getTensors())
                .isEqualTo(b.toSnapshot(1L, Map.of()).getTensors())
                .isNotEqualTo(plain.toSnapshot(1L, Map.of()).getTensors());
        // a bar moved by one row is another class: the shifted epochs blur the classes, but the
        // un-shifted first epoch and the row offsets of at most 1 still leave most correct
        assertThat(a.accuracy(test, testLabels)).isGreaterThan(0.5);
    }
}
