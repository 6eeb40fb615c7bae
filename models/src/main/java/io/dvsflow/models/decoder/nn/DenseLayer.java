package io.dvsflow.models.decoder.nn;

import java.util.List;

/**
 * A fully connected layer {@code y[b, j] = bias[j] + sum_i x[b, i] W[i, j]} on row-major batches
 * ({@code x} is {@code batch x in}, {@code y} is {@code batch x out}).
 *
 * <p>Parameters: {@code <name>.weight} of shape {@code [in, out]} (row {@code i} holds the weights
 * leaving input {@code i}) and {@code <name>.bias} of shape {@code [out]}. Storing {@code W} by
 * input row makes the forward pass a sequence of {@code y[b, :] += x[b, i] W[i, :]} updates that
 * the JIT vectorises and that skip zero inputs outright: with binary spike windows only the active
 * inputs cost anything. Examples are processed in blocks of {@link #BATCH_BLOCK} so that each
 * weight row is read once per block while the block's outputs stay in cache.
 */
public final class DenseLayer {
    /** Examples processed together per pass over the weights. */
    public static final int BATCH_BLOCK = 16;

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * A zero layer; initialise with {@link #weight()}{@code .xavierUniform} or {@code heUniform}.
     */
    public DenseLayer(String name, int in, int out) {
        this(in, out, new Parameter(name + ".weight", in, out), new Parameter(name + ".bias", out));
    }

    private DenseLayer(int in, int out, Parameter weight, Parameter bias) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
    }

    /** A layer sharing this one's weights, with its own gradients. */
    public DenseLayer replica() {
        return new DenseLayer(in, out, weight.replica(), bias.replica());
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /** The weight {@code [in, out]}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias {@code [out]}. */
    public Parameter bias() {
        return bias;
    }

    /** Weight then bias. */
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** {@code y = x W + bias} for {@code batch} rows. */
    public void forward(float[] x, int batch, float[] y) {
        float[] w = weight.v();
        float[] b = bias.v();
        for (int b0 = 0; b0 < batch; b0 += BATCH_BLOCK) {
            int b1 = Math.min(batch, b0 + BATCH_BLOCK);
            for (int e = b0; e < b1; e++) {
                System.arraycopy(b, 0, y, e * out, out);
            }
            for (int i = 0; i < in; i++) {
                int wo = i * out;
                for (int e = b0; e < b1; e++) {
                    float xv = x[e * in + i];
                    if (xv != 0f) {
                        int yo = e * out;
                        for (int j = 0; j < out; j++) {
                            y[yo + j] += xv * w[wo + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Accumulates {@code dW += x^T dy}, {@code dbias += sum_b dy} and, when {@code dx} is not null,
     * writes {@code dx = dy W^T}.
     */
    public void backward(float[] x, float[] dy, int batch, float[] dx) {
        float[] w = weight.v();
        float[] gw = weight.g();
        float[] gb = bias.g();
        for (int e = 0; e < batch; e++) {
            int yo = e * out;
            for (int j = 0; j < out; j++) {
                gb[j] += dy[yo + j];
            }
        }
        for (int i = 0; i < in; i++) {
            int wo = i * out;
            for (int e = 0; e < batch; e++) {
                float xv = x[e * in + i];
                if (xv != 0f) {
                    int yo = e * out;
                    for (int j = 0; j < out; j++) {
                        gw[wo + j] += xv * dy[yo + j];
                    }
                }
            }
        }
        if (dx != null) {
            for (int e = 0; e < batch; e++) {
                int yo = e * out;
                for (int i = 0; i < in; i++) {
                    dx[e * in + i] = dot(w, i * out, dy, yo, out);
                }
            }
        }
    }

    /** Dot product with four partial sums (the JIT does not reorder float reductions itself). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[ao + j] * b[bo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
