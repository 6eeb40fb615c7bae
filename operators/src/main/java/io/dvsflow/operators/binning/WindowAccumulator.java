package io.dvsflow.operators.binning;

import io.dvsflow.schemas.EventPacket;

/**
 * The binner's arithmetic, free of Flink: window assignment, pixel mapping (crop and downsample)
 * and the per-kind accumulation into a frame.
 *
 * <p>Frames are {@code float[channels * outH * outW]}, channel-major then row-major. For {@link
 * FrameKind#COUNTS}, {@link FrameKind#BINARY} and {@link FrameKind#SIGNED} a window's frame is
 * built incrementally with {@link #add}; {@link FrameKind#VOXEL} needs the time span of the whole
 * window, so its events are kept (in output coordinates) and turned into a grid by {@link
 * #voxelGrid} when the window closes.
 */
public final class WindowAccumulator {

    /** {@link #pixel} result for an event inside the sensor but outside the crop. */
    public static final int EXCLUDED = -1;

    /** {@link #pixel} result for an event outside the sensor (or with an unusable timestamp). */
    public static final int INVALID = -2;

    private final FrameKind kind;
    private final long windowUs;
    private final long lastValidTimestamp;
    private final int sensorWidth;
    private final int sensorHeight;
    private final int cropX;
    private final int cropY;
    private final int cropWidth;
    private final int cropHeight;
    private final int factor;
    private final int outWidth;
    private final int outHeight;
    private final int plane;
    private final int channels;
    private final int[] colOf;
    private final int[] rowOffsetOf;

    /** Derives the constants of {@code config}. */
    public WindowAccumulator(BinnerConfig config) {
        this.kind = config.kind();
        this.windowUs = config.windowUs();
        this.lastValidTimestamp = Long.MAX_VALUE - windowUs;
        this.sensorWidth = config.sensorWidth();
        this.sensorHeight = config.sensorHeight();
        this.cropX = config.crop().x();
        this.cropY = config.crop().y();
        this.cropWidth = config.crop().width();
        this.cropHeight = config.crop().height();
        this.factor = config.downsample();
        this.outWidth = config.outputWidth();
        this.outHeight = config.outputHeight();
        this.plane = outWidth * outHeight;
        this.channels = config.channels();
        // per-coordinate lookup tables: no division per event
        this.colOf = new int[sensorWidth];
        for (int x = 0; x < sensorWidth; x++) {
            int cx = x - cropX;
            colOf[x] = cx < 0 || cx >= cropWidth ? -1 : cx / factor;
        }
        this.rowOffsetOf = new int[sensorHeight];
        for (int y = 0; y < sensorHeight; y++) {
            int cy = y - cropY;
            rowOffsetOf[y] = cy < 0 || cy >= cropHeight ? -1 : (cy / factor) * outWidth;
        }
    }

    /**
     * Start (µs, inclusive) of the aligned window holding {@code tUs}: {@code floorDiv(t, dt) dt}.
     */
    public long windowStart(long tUs) {
        return Math.floorDiv(tUs, windowUs) * windowUs;
    }

    /** Window length in µs. */
    public long windowUs() {
        return windowUs;
    }

    /**
     * {@code true} when {@code tUs} can be binned: windows ending beyond {@code Long.MAX_VALUE}
     * cannot be represented, so timestamps above {@code Long.MAX_VALUE - dt} are invalid.
     */
    public boolean validTimestamp(long tUs) {
        return tUs <= lastValidTimestamp;
    }

    /**
     * Index of sensor pixel {@code (x, y)} inside one output plane ({@code row * outW + col}), or
     * {@link #EXCLUDED} outside the crop, or {@link #INVALID} outside the sensor.
     */
    public int pixel(int x, int y) {
        if (x < 0 || y < 0 || x >= sensorWidth || y >= sensorHeight) {
            return INVALID;
        }
        int col = colOf[x];
        int rowOffset = rowOffsetOf[y];
        if ((col | rowOffset) < 0) {
            return EXCLUDED;
        }
        return rowOffset + col;
    }

    /** Output column of a sensor column already known to lie in the crop. */
    public int outputX(int x) {
        return (x - cropX) / factor;
    }

    /** Output row of a sensor row already known to lie in the crop. */
    public int outputY(int y) {
        return (y - cropY) / factor;
    }

    /** Length of a frame: {@code channels * outH * outW}. */
    public int frameLength() {
        return channels * plane;
    }

    /**
     * Adds one event at plane index {@code pixel} (from {@link #pixel}) to an incremental frame.
     * Polarity {@code 0} is OFF, anything else ON.
     *
     * <ul>
     *   <li>COUNTS: {@code frame[p * plane + pixel] += 1};
     *   <li>BINARY: {@code frame[p * plane + pixel] = 1};
     *   <li>SIGNED: {@code frame[pixel] += (p == ON ? +1 : -1)}.
     * </ul>
     *
     * @throws IllegalStateException for {@link FrameKind#VOXEL}, which is not incremental
     */
    public void add(float[] frame, int pixel, int polarity) {
        int on = polarity != 0 ? 1 : 0;
        switch (kind) {
            case COUNTS -> frame[on * plane + pixel] += 1f;
            case BINARY -> frame[on * plane + pixel] = 1f;
            case SIGNED -> frame[pixel] += on == 1 ? 1f : -1f;
            case VOXEL -> throw new IllegalStateException("voxel grids are built by voxelGrid");
        }
    }

    /**
     * The voxel grid of one window's events, E2VID's convention ({@code events_to_voxel_grid}).
     *
     * <p>With {@code B} bins, {@code t0 = min t} and {@code t1 = max t} over the given events
     * ({@code Δ = t1 - t0}, replaced by 1 when 0), each event gets the normalised time {@code t* =
     * (B - 1)(t - t0) / Δ} in {@code [0, B - 1]} and adds {@code s (1 - (t* - floor t*))} to bin
     * {@code floor t*} and {@code s (t* - floor t*)} to bin {@code floor t* + 1} (skipped when that
     * is {@code B}), where {@code s = +1} for ON and {@code -1} for OFF. So the first event lands
     * entirely in bin 0 and the last entirely in bin {@code B - 1}. Unlike E2VID, which takes the
     * first and last event of a sorted array, the span uses min and max so that disorder inside a
     * window does not move it. The spatial position is the event's output pixel (crop and
     * downsample applied), so downsampling sums the bilinear weights of an {@code f x f} block.
     *
     * @param events the window's events, with x and y already in output coordinates
     * @return {@code float[B * outH * outW]}, bin-major
     */
    public float[] voxelGrid(EventPacket events) {
        float[] grid = new float[frameLength()];
        int n = events.size();
        if (n == 0) {
            return grid;
        }
        long[] t = events.timestamps();
        short[] xs = events.xs();
        short[] ys = events.ys();
        byte[] ps = events.polarities();
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            t0 = Math.min(t0, t[i]);
            t1 = Math.max(t1, t[i]);
        }
        double span = t1 == t0 ? 1.0 : (double) (t1 - t0);
        double scale = (channels - 1) / span;
        for (int i = 0; i < n; i++) {
            double tStar = (t[i] - t0) * scale;
            int lo = (int) tStar;
            double frac = tStar - lo;
            double s = ps[i] != 0 ? 1.0 : -1.0;
            int pixel = ys[i] * outWidth + xs[i];
            grid[lo * plane + pixel] += (float) (s * (1.0 - frac));
            if (lo + 1 < channels) {
                grid[(lo + 1) * plane + pixel] += (float) (s * frac);
            }
        }
        return grid;
    }
}
