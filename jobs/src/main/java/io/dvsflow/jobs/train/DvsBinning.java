package io.dvsflow.jobs.train;

import io.dvsflow.models.training.VdibModel;
import io.dvsflow.schemas.EventPacket;
import java.util.Arrays;

/**
 * Turns a recording's events into the binary bins a {@link VdibModel} reads (its Javadoc defines
 * the input index): bin {@code k} holds the events with {@code t0 + k dt <= t < t0 + (k + 1) dt},
 * {@code t0} the first event's timestamp, {@code k < T}; an input is active in a bin when at least
 * one event of its polarity hit its pixel (binary bins); events outside the crop or after {@code T}
 * bins are ignored. Feed packets in time order with {@link #accept}, then {@link #finish}.
 */
public final class DvsBinning {
    private final VdibModel.InputSettings in;
    private final int plane;
    private final int[] mark;
    private int[] indices = new int[1024];
    private int count;
    private final int[] offsets;
    private int bin;
    private long t0 = Long.MIN_VALUE;
    private int stamp = 1;

    /** A binning for the given input settings (DVS encoding). */
    public DvsBinning(VdibModel.InputSettings in) {
        if (in.encoding() != VdibModel.Encoding.DVS) {
            throw new IllegalArgumentException("binning needs DVS input settings");
        }
        this.in = in;
        this.plane = in.width() * in.height();
        this.mark = new int[in.inputSize()];
        this.offsets = new int[in.steps() + 1];
    }

    /** Adds the events of one packet (timestamps not decreasing across calls). */
    public void accept(EventPacket p) {
        long[] t = p.timestamps();
        short[] xs = p.xs();
        short[] ys = p.ys();
        byte[] ps = p.polarities();
        int w = in.width();
        int h = in.height();
        int cx = in.cropX();
        int cy = in.cropY();
        long dt = in.dtUs();
        int steps = in.steps();
        for (int i = 0; i < p.size(); i++) {
            if (t0 == Long.MIN_VALUE) {
                t0 = t[i];
            }
            long k = (t[i] - t0) / dt;
            if (k >= steps) {
                continue;
            }
            while (bin < k) {
                bin++;
                offsets[bin] = count;
                stamp++;
            }
            int x = xs[i] - cx;
            int y = ys[i] - cy;
            if (x < 0 || y < 0 || x >= w || y >= h) {
                continue;
            }
            int idx = (ps[i] != 0 ? plane : 0) + y * w + x;
            if (mark[idx] == stamp) {
                continue;
            }
            mark[idx] = stamp;
            if (count == indices.length) {
                indices = Arrays.copyOf(indices, 2 * count);
            }
            indices[count++] = idx;
        }
    }

    /** The bins as {@link io.dvsflow.models.training.VdibSample#ofBins} offsets and indices. */
    public int[][] finish() {
        int steps = in.steps();
        while (bin < steps) {
            bin++;
            offsets[bin] = count;
        }
        // indices of each bin ascending (the order events arrived in is not needed)
        for (int k = 0; k < steps; k++) {
            Arrays.sort(indices, offsets[k], offsets[k + 1]);
        }
        return new int[][] {offsets.clone(), Arrays.copyOf(indices, count)};
    }
}
