package io.dvsflow.operators.vdib;

import io.dvsflow.models.learning.GradientEstimator;
import io.dvsflow.models.neuron.StateCodec;
import java.nio.charset.StandardCharsets;

/**
 * One VDIB learning sample of one stream, sent by {@link LifEncoderFunction} (side output {@link
 * LifEncoderFunction#GRADIENTS}) to {@link VdibLearnerFunction} when a reference image arrives:
 *
 * <ul>
 *   <li>{@code encoder}, with {@link GradientEstimator#REINFORCE}: the encoder's accumulated
 *       log-likelihood gradients {@code g = sum_t ...} since the stream's previous reference (the
 *       per-key eligibility, {@code io.dvsflow.models.learning.EncoderGradients} tensor order), not
 *       yet multiplied by the learning signal: the learner does that with its global REINFORCE
 *       baselines; with {@link GradientEstimator#PATHWISE}: already the gradient of {@code l_dec +
 *       beta l_enc} (the KL part of every step since the previous reference plus the decoder's part
 *       over the reference's window), which the learner applies as it is;
 *   <li>{@code klLoss}: the KL sample sum {@code l_enc} over the same steps, nats;
 *   <li>{@code decoderLoss}: {@code l_dec}, the decoder's BCE of the reference against the image
 *       decoded from the stream's readout window at the reference's window, nats;
 *   <li>{@code decoder}: {@code dl_dec / dtheta} for every decoder tensor (decoder parameter
 *       order).
 * </ul>
 *
 * Samples travel as bytes ({@link #toBytes}, a {@link StateCodec} record) so that no generic
 * serializer is involved; {@link #fromBytes} bounds every length.
 *
 * @param streamId stream the sample comes from
 * @param windowStartUs the reference's window
 * @param modelVersion encoder version at that window
 * @param steps encoder steps accumulated
 * @param klLoss l_enc, nats
 * @param decoderLoss l_dec, nats
 * @param estimator how {@code encoder} was computed
 * @param encoder encoder gradient tensors
 * @param decoder decoder gradient tensors
 */
public record GradientSample(
        String streamId,
        long windowStartUs,
        long modelVersion,
        long steps,
        double klLoss,
        double decoderLoss,
        GradientEstimator estimator,
        float[][] encoder,
        float[][] decoder) {

    private static final int MAGIC = 0x4446_4753; // dvsflow gradient sample
    private static final byte VERSION = 2;

    /** Most tensors per part accepted when decoding. */
    public static final int MAX_TENSORS = 4096;

    /** Most floats per tensor accepted when decoding (2^27). */
    public static final int MAX_TENSOR_FLOATS = 1 << 27;

    /** The byte encoding. */
    public byte[] toBytes() {
        long size = 64L + streamId.length() * 3L;
        for (float[] t : encoder) {
            size += 8 + 4L * t.length;
        }
        for (float[] t : decoder) {
            size += 8 + 4L * t.length;
        }
        StateCodec.Writer w = new StateCodec.Writer((int) Math.min(Integer.MAX_VALUE - 8, size));
        w.header(MAGIC, VERSION)
                .putBytes(streamId.getBytes(StandardCharsets.UTF_8))
                .putLong(windowStartUs)
                .putLong(modelVersion)
                .putLong(steps)
                .putLong(Double.doubleToLongBits(klLoss))
                .putLong(Double.doubleToLongBits(decoderLoss))
                .putInt(estimator.ordinal());
        putTensors(w, encoder);
        putTensors(w, decoder);
        return w.toByteArray();
    }

    private static void putTensors(StateCodec.Writer w, float[][] ts) {
        w.putInt(ts.length);
        for (float[] t : ts) {
            w.putInt(t.length).putFloats(t); // own length first: bounds the allocation
        }
    }

    /**
     * Decodes {@link #toBytes()} output.
     *
     * @throws IllegalArgumentException for corrupt or oversized data
     */
    public static GradientSample fromBytes(byte[] data) {
        StateCodec.Reader r = new StateCodec.Reader(data, "gradient sample");
        r.header(MAGIC, VERSION);
        String stream = new String(r.getBlob("stream id", 1 << 16), StandardCharsets.UTF_8);
        long window = r.getLong();
        long version = r.getLong();
        long steps = r.getLong();
        double kl = Double.longBitsToDouble(r.getLong());
        double dec = Double.longBitsToDouble(r.getLong());
        GradientEstimator est =
                GradientEstimator.values()[
                        r.getInt("estimator", 0, GradientEstimator.values().length - 1)];
        float[][] enc = getTensors(r, data.length);
        float[][] decg = getTensors(r, data.length);
        r.end();
        return new GradientSample(stream, window, version, steps, kl, dec, est, enc, decg);
    }

    private static float[][] getTensors(StateCodec.Reader r, int available) {
        int n = r.getInt("tensors", 0, Math.min(MAX_TENSORS, available / 8));
        float[][] ts = new float[n][];
        for (int k = 0; k < n; k++) {
            int len = r.getInt("tensor length", 0, Math.min(MAX_TENSOR_FLOATS, available / 4));
            ts[k] = new float[len];
            r.getFloats("tensor", ts[k]);
        }
        return ts;
    }
}
