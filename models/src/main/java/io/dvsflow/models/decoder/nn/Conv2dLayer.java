package io.dvsflow.models.decoder.nn;

import java.util.List;

/**
 * A 2-D convolution (cross-correlation) with zero padding:
 *
 * <pre>
 * y[b, o, r, c] = bias[o] + sum_{i, u, v} W[o, i, u, v] * x[b, i, r*s + u - p, c*s + v - p]
 * </pre>
 *
 * with stride {@code s}, padding {@code p}, kernel {@code k x k}, inputs outside the image taken as
 * zero; output size {@code (h + 2p - k) / s + 1} (floor). Tensors are row-major {@code [batch,
 * channels, height, width]}. Parameters: {@code <name>.weight [out, in, k, k]}, {@code <name>.bias
 * [out]}. Direct convolution: for each (output channel, input channel, kernel tap) one scaled row
 * update over the output, which the JIT vectorises at stride 1.
 */
public final class Conv2dLayer {
    private final int cin;
    private final int h;
    private final int w;
    private final int cout;
    private final int k;
    private final int stride;
    private final int pad;
    private final int oh;
    private final int ow;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * A zero layer for {@code cin x h x w} inputs.
     *
     * @throws IllegalArgumentException if the output would be empty
     */
    public Conv2dLayer(String name, int cin, int h, int w, int cout, int k, int stride, int pad) {
        this(
                cin,
                h,
                w,
                cout,
                k,
                stride,
                pad,
                new Parameter(name + ".weight", cout, cin, k, k),
                new Parameter(name + ".bias", cout));
    }

    private Conv2dLayer(
            int cin,
            int h,
            int w,
            int cout,
            int k,
            int stride,
            int pad,
            Parameter weight,
            Parameter bias) {
        if (cin < 1 || cout < 1 || k < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("invalid convolution sizes");
        }
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.oh = (h + 2 * pad - k) / stride + 1;
        this.ow = (w + 2 * pad - k) / stride + 1;
        if (h + 2 * pad < k || w + 2 * pad < k) {
            throw new IllegalArgumentException(
                    "kernel "
                            + k
                            + " larger than the padded input "
                            + h
                            + "x"
                            + w
                            + " (pad "
                            + pad
                            + ")");
        }
        this.weight = weight;
        this.bias = bias;
    }

    /** A layer sharing this one's weights, with its own gradients. */
    public Conv2dLayer replica() {
        return new Conv2dLayer(cin, h, w, cout, k, stride, pad, weight.replica(), bias.replica());
    }

    /** Values per input example. */
    public int inSize() {
        return cin * h * w;
    }

    /** Values per output example. */
    public int outSize() {
        return cout * oh * ow;
    }

    /** Output height. */
    public int outHeight() {
        return oh;
    }

    /** Output width. */
    public int outWidth() {
        return ow;
    }

    /** Output channels. */
    public int outChannels() {
        return cout;
    }

    /** Fan-in {@code cin k^2} (for initialisation). */
    public int fanIn() {
        return cin * k * k;
    }

    /** Weight then bias. */
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** The weight {@code [out, in, k, k]}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias. */
    public Parameter bias() {
        return bias;
    }

    // First output column whose input column r*s + v - p is >= 0, and one past the last < w.
    private int lo(int tap, int extent) {
        int need = pad - tap;
        return need <= 0 ? 0 : (need + stride - 1) / stride;
    }

    private int hi(int tap, int extent, int outExtent) {
        int last = extent - 1 - tap + pad;
        return last < 0 ? 0 : Math.min(outExtent, last / stride + 1);
    }

    /** Forward pass for {@code batch} examples. */
    public void forward(float[] x, int batch, float[] y) {
        float[] wt = weight.v();
        float[] b = bias.v();
        int inPlane = h * w;
        int outPlane = oh * ow;
        for (int e = 0; e < batch; e++) {
            int xe = e * cin * inPlane;
            int ye = e * cout * outPlane;
            for (int o = 0; o < cout; o++) {
                int yo = ye + o * outPlane;
                java.util.Arrays.fill(y, yo, yo + outPlane, b[o]);
                for (int i = 0; i < cin; i++) {
                    int xi = xe + i * inPlane;
                    for (int u = 0; u < k; u++) {
                        int r0 = lo(u, h);
                        int r1 = hi(u, h, oh);
                        for (int v = 0; v < k; v++) {
                            float wv = wt[((o * cin + i) * k + u) * k + v];
                            int c0 = lo(v, w);
                            int c1 = hi(v, w, ow);
                            for (int r = r0; r < r1; r++) {
                                int xr = xi + (r * stride + u - pad) * w + v - pad;
                                int yr = yo + r * ow;
                                if (stride == 1) {
                                    for (int c = c0; c < c1; c++) {
                                        y[yr + c] += wv * x[xr + c];
                                    }
                                } else {
                                    for (int c = c0; c < c1; c++) {
                                        y[yr + c] += wv * x[xr + c * stride];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Accumulates the weight and bias gradients for output gradient {@code dy}; writes the input
     * gradient into {@code dx} when not null.
     */
    public void backward(float[] x, float[] dy, int batch, float[] dx) {
        float[] wt = weight.v();
        float[] gw = weight.g();
        float[] gb = bias.g();
        int inPlane = h * w;
        int outPlane = oh * ow;
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, batch * cin * inPlane, 0f);
        }
        for (int e = 0; e < batch; e++) {
            int xe = e * cin * inPlane;
            int ye = e * cout * outPlane;
            for (int o = 0; o < cout; o++) {
                int yo = ye + o * outPlane;
                float sb = 0;
                for (int q = 0; q < outPlane; q++) {
                    sb += dy[yo + q];
                }
                gb[o] += sb;
                for (int i = 0; i < cin; i++) {
                    int xi = xe + i * inPlane;
                    for (int u = 0; u < k; u++) {
                        int r0 = lo(u, h);
                        int r1 = hi(u, h, oh);
                        for (int v = 0; v < k; v++) {
                            int wi = ((o * cin + i) * k + u) * k + v;
                            float wv = wt[wi];
                            int c0 = lo(v, w);
                            int c1 = hi(v, w, ow);
                            float s = 0;
                            for (int r = r0; r < r1; r++) {
                                int xr = xi + (r * stride + u - pad) * w + v - pad;
                                int yr = yo + r * ow;
                                if (stride == 1) {
                                    if (c1 > c0) {
                                        s += DenseLayer.dot(dy, yr + c0, x, xr + c0, c1 - c0);
                                    }
                                    if (dx != null) {
                                        for (int c = c0; c < c1; c++) {
                                            dx[xr + c] += wv * dy[yr + c];
                                        }
                                    }
                                } else {
                                    for (int c = c0; c < c1; c++) {
                                        s += dy[yr + c] * x[xr + c * stride];
                                    }
                                    if (dx != null) {
                                        for (int c = c0; c < c1; c++) {
                                            dx[xr + c * stride] += wv * dy[yr + c];
                                        }
                                    }
                                }
                            }
                            gw[wi] += s;
                        }
                    }
                }
            }
        }
    }
}
