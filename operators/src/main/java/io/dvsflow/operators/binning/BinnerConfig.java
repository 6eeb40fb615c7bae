package io.dvsflow.operators.binning;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link EventBinner}, validated on construction.
 *
 * <p>Windows are half-open and aligned to event time zero: window {@code k} is {@code [k * dt, (k +
 * 1) * dt)} µs with {@code k = floorDiv(t, dt)}. Events outside the sensor are dropped and counted;
 * events inside the sensor but outside the crop are excluded by design. Inside the crop, sensor
 * pixel {@code (x, y)} maps to output pixel {@code ((x - crop.x) / f, (y - crop.y) / f)} (integer
 * division, {@code f} the downsample factor), so each output pixel sums an {@code f x f} block (sum
 * pooling); the output is {@code ceil(crop.width / f) x ceil(crop.height / f)}, partial blocks at
 * the right and bottom edges included.
 *
 * <pre>{@code
 * // DVS Gesture: 128x128 sensor, 10 ms count frames at 32x32
 * BinnerConfig cfg = BinnerConfig.of(Duration.ofMillis(10), FrameKind.COUNTS, 128, 128)
 *         .withDownsample(4);
 * // MNIST-DVS: 26x26 crop at 48..73
 * BinnerConfig mnist = BinnerConfig.of(Duration.ofMillis(50), FrameKind.COUNTS, 128, 128)
 *         .withCrop(new CropRegion(48, 48, 26, 26));
 * }</pre>
 *
 * @param window window length ({@code dt}), a positive whole number of µs
 * @param kind what each window becomes
 * @param sensorWidth sensor width in pixels (events with {@code x >= sensorWidth} are invalid)
 * @param sensorHeight sensor height in pixels
 * @param crop the region kept; must lie inside the sensor (default: the whole sensor)
 * @param downsample integer factor {@code f >= 1} (default 1)
 * @param voxelBins number of time bins {@code B >= 2} of {@link FrameKind#VOXEL} (default 5, the
 *     E2VID setting; ignored by the other kinds)
 */
public record BinnerConfig(
        Duration window,
        FrameKind kind,
        int sensorWidth,
        int sensorHeight,
        CropRegion crop,
        int downsample,
        int voxelBins)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default number of voxel bins (E2VID uses 5). */
    public static final int DEFAULT_VOXEL_BINS = 5;

    /** Largest sensor side accepted (coordinates are 16-bit). */
    public static final int MAX_SENSOR_SIDE = 1 << 15;

    /** Largest number of voxel bins accepted. */
    public static final int MAX_VOXEL_BINS = 1024;

    /** Validates every setting; the messages name the offending value. */
    public BinnerConfig {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(crop, "crop");
        if (window.isNegative() || window.isZero() || window.toNanos() % 1_000L != 0) {
            throw new IllegalArgumentException(
                    "window must be a positive whole number of microseconds, was " + window);
        }
        if (sensorWidth < 1
                || sensorHeight < 1
                || sensorWidth > MAX_SENSOR_SIDE
                || sensorHeight > MAX_SENSOR_SIDE) {
            throw new IllegalArgumentException(
                    "sensor size must be in [1, "
                            + MAX_SENSOR_SIDE
                            + "], was "
                            + sensorWidth
                            + "x"
                            + sensorHeight);
        }
        if ((long) crop.x() + crop.width() > sensorWidth
                || (long) crop.y() + crop.height() > sensorHeight) {
            throw new IllegalArgumentException(
                    "crop " + crop + " exceeds the sensor " + sensorWidth + "x" + sensorHeight);
        }
        if (downsample < 1) {
            throw new IllegalArgumentException("downsample must be >= 1, was " + downsample);
        }
        if (voxelBins < 2 || voxelBins > MAX_VOXEL_BINS) {
            throw new IllegalArgumentException(
                    "voxelBins must be in [2, " + MAX_VOXEL_BINS + "], was " + voxelBins);
        }
    }

    /** Whole sensor, no downsampling, {@link #DEFAULT_VOXEL_BINS}. */
    public static BinnerConfig of(
            Duration window, FrameKind kind, int sensorWidth, int sensorHeight) {
        return new BinnerConfig(
                window,
                kind,
                sensorWidth,
                sensorHeight,
                sensorWidth >= 1 && sensorHeight >= 1
                        ? CropRegion.full(sensorWidth, sensorHeight)
                        : new CropRegion(0, 0, 1, 1),
                1,
                DEFAULT_VOXEL_BINS);
    }

    /** A copy keeping only {@code region}. */
    public BinnerConfig withCrop(CropRegion region) {
        return new BinnerConfig(
                window, kind, sensorWidth, sensorHeight, region, downsample, voxelBins);
    }

    /** A copy with downsample factor {@code factor}. */
    public BinnerConfig withDownsample(int factor) {
        return new BinnerConfig(window, kind, sensorWidth, sensorHeight, crop, factor, voxelBins);
    }

    /** A copy with {@code bins} voxel bins. */
    public BinnerConfig withVoxelBins(int bins) {
        return new BinnerConfig(window, kind, sensorWidth, sensorHeight, crop, downsample, bins);
    }

    /** Window length in µs. */
    public long windowUs() {
        return window.toNanos() / 1_000L;
    }

    /** Output image width: {@code ceil(crop.width / downsample)}. */
    public int outputWidth() {
        return (crop.width() + downsample - 1) / downsample;
    }

    /** Output image height: {@code ceil(crop.height / downsample)}. */
    public int outputHeight() {
        return (crop.height() + downsample - 1) / downsample;
    }

    /** Number of output planes: 2 for counts and binary, 1 for signed, {@code B} for voxel. */
    public int channels() {
        return switch (kind) {
            case COUNTS, BINARY -> 2;
            case SIGNED -> 1;
            case VOXEL -> voxelBins;
        };
    }
}
