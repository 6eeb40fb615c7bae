package io.dvsflow.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.models.random.Rng;
import org.junit.jupiter.api.Test;

class DriftingBlobsTest {

    @Test
    void positionsFollowTheArProcessOfThePaper() {
        int[][] got = new DriftingBlobs(42).sequence(200);
        // the same draws, the recursion written out independently:
        // v_t = 0.9 v_{t-1} - 0.14 eps_t, theta_t = theta_{t-1} + v_t,
        // p_t = floor(theta_t + 0.45 xi_t) mod 20
        Rng r = new Rng(42);
        for (int k = 0; k < 2; k++) {
            double theta = r.nextDouble() * 20;
            double v = 0;
            for (int t = 0; t < 200; t++) {
                v = 0.9 * v - 0.14 * r.nextGaussian();
                theta += v;
                double x = theta + 0.45 * r.nextGaussian();
                int p = (int) (((Math.floor(x) % 20) + 20) % 20);
                assertThat(got[t][k]).as("blob %d step %d", k, t).isEqualTo(p);
            }
        }
    }

    @Test
    void blobsDriftSmoothlyAndWrap() {
        assertThat(DriftingBlobs.wrap(-0.5)).isEqualTo(19);
        assertThat(DriftingBlobs.wrap(20.2)).isZero();
        assertThat(DriftingBlobs.wrap(3.9)).isEqualTo(3);
        int[][] p = new DriftingBlobs(7).sequence(5_000);
        int small = 0;
        for (int t = 1; t < p.length; t++) {
            int d = Math.abs(p[t][0] - p[t - 1][0]);
            d = Math.min(d, 20 - d); // circular distance
            if (d <= 2) {
                small++;
            }
        }
        // sigma 0.45 and a slowly varying velocity: most steps move at most 2 inputs
        assertThat(small).isGreaterThan(4_500);
        // and the blob visits the whole ring over a long sequence
        boolean[] seen = new boolean[20];
        for (int[] s : p) {
            seen[s[0]] = true;
        }
        for (boolean b : seen) {
            assertThat(b).isTrue();
        }
    }

    @Test
    void samplesCodeBothBlobsOnTheOnPlaneAndTargetTheLaggedStep() {
        int[][] pos = {{3, 7}, {4, 4}, {5, 9}, {6, 10}};
        VdibSample s = DriftingBlobs.sample(pos, 3, 1); // bins 0..2, target step 3
        assertThat(s.bins()).isEqualTo(3);
        assertThat(s.offsets()).containsExactly(0, 2, 3, 5);
        assertThat(s.indices()).containsExactly(23, 27, 24, 25, 29);
        float[] target = s.target();
        assertThat(target).hasSize(20);
        assertThat(target[6]).isEqualTo(1f);
        assertThat(target[10]).isEqualTo(1f);
        assertThat(DriftingBlobs.sample(pos, 3, -2).target()[3]).isEqualTo(1f); // step 0
        assertThatThrownBy(() -> DriftingBlobs.sample(pos, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accuracyCountsTheTargetPositionsAmongTheLargestOutputs() {
        float[] target = DriftingBlobs.reference(new int[] {2, 5});
        float[] decoded = new float[20];
        decoded[2] = 0.9f;
        decoded[7] = 0.8f;
        decoded[5] = 0.7f;
        assertThat(DriftingBlobs.accuracy(decoded, target)).isEqualTo(0.5);
        decoded[5] = 0.85f;
        assertThat(DriftingBlobs.accuracy(decoded, target)).isEqualTo(1.0);
        float[] same = DriftingBlobs.reference(new int[] {4, 4});
        assertThat(DriftingBlobs.accuracy(decoded, same)).isZero();
    }
}
