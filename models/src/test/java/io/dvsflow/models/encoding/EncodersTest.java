package io.dvsflow.models.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EncodersTest {

    @Test
    void ttfsFollowsTheDocumentedRule() {
        TtfsEncoder enc = new TtfsEncoder(5, 30);
        // x = 1 -> round(0 * 29) = 0; x = 0.5 -> round(14.5) = 15 (half up);
        // x = 0.2 -> round(0.8 * 29 = 23.2) = 23; x = 0 -> no spike; x = 0.01 -> round(28.71) = 29
        float[] img = {1f, 0.5f, 0.2f, 0f, 0.01f};
        enc.load(img);
        int[] out = new int[5];
        int[] when = new int[5];
        Arrays.fill(when, -1);
        int total = 0;
        for (int t = 0; t < 30; t++) {
            int n = enc.step(t, out);
            for (int k = 0; k < n; k++) {
                when[out[k]] = t;
            }
            total += n;
        }
        assertThat(when).containsExactly(0, 15, 23, -1, 29);
        assertThat(total).isEqualTo(4);
        assertThat(enc.step(30, out)).isZero();
    }

    @Test
    void rateCodingSpikesWithProbabilityScaleTimesValue() {
        RateEncoder enc = new RateEncoder(1f);
        float[] img = {0f, 1f, 0.25f};
        int[] out = new int[3];
        Rng rng = new Rng(11);
        int[] counts = new int[3];
        int steps = 20_000;
        for (int t = 0; t < steps; t++) {
            int n = enc.step(img, rng, out);
            for (int k = 0; k < n; k++) {
                counts[out[k]]++;
            }
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[1]).isEqualTo(steps);
        // binomial sd = sqrt(20000 * 0.25 * 0.75) ~ 61
        assertThat(counts[2]).isBetween(5000 - 300, 5000 + 300);

        RateEncoder half = new RateEncoder(0.5f);
        Rng a = new Rng(5);
        Rng b = new Rng(5);
        int[] o1 = new int[3];
        int[] o2 = new int[3];
        for (int t = 0; t < 100; t++) {
            int n1 = half.step(img, a, o1);
            int n2 = half.step(img, b, o2);
            assertThat(Arrays.copyOf(o1, n1)).containsExactly(Arrays.copyOf(o2, n2));
        }
    }
}
