package io.dvsflow.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.connectors.datasets.MnistDigits;
import io.dvsflow.connectors.datasets.MnistImages;
import io.dvsflow.models.training.VdibSample;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassTargetsTest {

    /** 30 digits: digit i has label i mod 10 and a single lit pixel at index i. */
    private static MnistImages digits() {
        int n = 30;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            pixels[i * 784 + i] = (byte) 255;
        }
        return new MnistImages(28, 28, labels, pixels);
    }

    @Test
    void prototypeOfAClassIsItsFirstTrainDigit() {
        MnistImages images = digits();
        float[][] p = TrainingData.classPrototypes(images);
        int[] train = MnistDigits.split(images, MnistDigits.DEFAULT_SPLIT_SEED).train();
        for (int c = 0; c < 10; c++) {
            int first = -1;
            for (int i : train) {
                if (i % 10 == c) {
                    first = i;
                    break;
                }
            }
            assertThat(first).as("class %d has a train digit", c).isNotNegative();
            // digit i lights pixel i only
            float[] want = new float[784];
            want[first] = 1f;
            assertThat(p[c]).as("class %d", c).containsExactly(want);
        }
    }

    @Test
    void classTargetsReplaceEveryTargetByItsLabelsPrototype() {
        float[][] protos = new float[10][784];
        for (int c = 0; c < 10; c++) {
            Arrays.fill(protos[c], c / 10f); // constant images resize to themselves
        }
        List<VdibSample> in =
                List.of(
                        VdibSample.ofBins(new int[] {0, 1}, new int[] {5}, new float[4], 3),
                        VdibSample.ofBins(new int[] {0, 0}, new int[0], new float[4], 7));
        List<VdibSample> out = TrainingData.withClassTargets(in, protos, 2, 2);
        assertThat(out.get(0).target()).containsOnly(0.3f);
        assertThat(out.get(1).target()).containsOnly(0.7f);
        assertThat(out.get(0).indices()).containsExactly(5);
        assertThat(out.get(1).label()).isEqualTo(7);
        List<VdibSample> unlabelled =
                List.of(VdibSample.ofBins(new int[] {0, 0}, new int[0], new float[4], -1));
        assertThatThrownBy(() -> TrainingData.withClassTargets(unlabelled, protos, 2, 2))
                .hasMessageContaining("labelled");
    }
}
