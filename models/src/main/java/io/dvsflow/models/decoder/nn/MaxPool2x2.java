package io.dvsflow.models.decoder.nn;

/**
 * Non-overlapping 2x2 max pooling with stride 2 over {@code [batch, c, h, w]}; the output is {@code
 * [batch, c, h/2, w/2]} (floor: an odd last row or column is dropped). The backward pass routes
 * each output gradient to the input that held the maximum (the first one on ties).
 */
public final class MaxPool2x2 {
    private final int c;
    private final int h;
    private final int w;
    private final int oh;
    private final int ow;
    private int[] argmax = new int[0];

    /** For {@code c x h x w} inputs. */
    public MaxPool2x2(int c, int h, int w) {
        if (h < 2 || w < 2) {
            throw new IllegalArgumentException(
                    "pooling needs at least 2x2 inputs, got " + h + "x" + w);
        }
        this.c = c;
        this.h = h;
        this.w = w;
        this.oh = h / 2;
        this.ow = w / 2;
    }

    /** A pooling layer with its own argmax buffer. */
    public MaxPool2x2 replica() {
        return new MaxPool2x2(c, h, w);
    }

    /** Values per output example. */
    public int outSize() {
        return c * oh * ow;
    }

    /** Output height. */
    public int outHeight() {
        return oh;
    }

    /** Output width. */
    public int outWidth() {
        return ow;
    }

    /** Forward pass; remembers where each maximum came from. */
    public void forward(float[] x, int batch, float[] y) {
        int n = batch * outSize();
        if (argmax.length < n) {
            argmax = new int[n];
        }
        int q = 0;
        for (int e = 0; e < batch; e++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (e * c + ch) * h * w;
                for (int r = 0; r < oh; r++) {
                    for (int col = 0; col < ow; col++) {
                        int i0 = base + 2 * r * w + 2 * col;
                        int best = i0;
                        if (x[i0 + 1] > x[best]) {
                            best = i0 + 1;
                        }
                        if (x[i0 + w] > x[best]) {
                            best = i0 + w;
                        }
                        if (x[i0 + w + 1] > x[best]) {
                            best = i0 + w + 1;
                        }
                        argmax[q] = best;
                        y[q++] = x[best];
                    }
                }
            }
        }
    }

    /** Writes {@code dx} (zero except at the remembered maxima). */
    public void backward(float[] dy, int batch, float[] dx) {
        java.util.Arrays.fill(dx, 0, batch * c * h * w, 0f);
        int n = batch * outSize();
        for (int q = 0; q < n; q++) {
            dx[argmax[q]] += dy[q];
        }
    }
}
