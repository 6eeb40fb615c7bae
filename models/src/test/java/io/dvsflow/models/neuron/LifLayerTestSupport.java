package io.dvsflow.models.neuron;

import io.dvsflow.models.random.Rng;

/** Random layers for tests. */
final class LifLayerTestSupport {
    private LifLayerTestSupport() {}

    static LifLayer randomLayer(LifParameters p, int nIn, int n, long seed) {
        Rng rng = new Rng(seed);
        float[] w = new float[nIn * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (rng.nextFloat() - 0.3f) * 2f;
        }
        float[] b = new float[n];
        for (int j = 0; j < n; j++) {
            b[j] = (rng.nextFloat() - 0.5f) * 0.2f;
        }
        return new LifLayer(p, nIn, n, w, b);
    }
}
