package io.dvsflow.operators.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowAccumulatorTest {

    @Test
    void windowsAreAlignedAndHalfOpen() {
        var acc =
                new WindowAccumulator(
                        BinnerConfig.of(Duration.ofMillis(5), FrameKind.COUNTS, 4, 4));
        assertThat(acc.windowStart(0)).isZero();
        assertThat(acc.windowStart(4_999)).isZero();
        assertThat(acc.windowStart(5_000)).isEqualTo(5_000);
        assertThat(acc.windowStart(-1)).isEqualTo(-5_000);
        assertThat(acc.validTimestamp(Long.MAX_VALUE - 5_000)).isTrue();
        assertThat(acc.validTimestamp(Long.MAX_VALUE - 4_999)).isFalse();
    }

    @Test
    void pixelMappingWithCropAndDownsample() {
        // crop columns 2..8 (7 wide), rows 1..4 (4 high), factor 3 -> 3 x 2 output
        var cfg =
                BinnerConfig.of(Duration.ofMillis(1), FrameKind.COUNTS, 10, 6)
                        .withCrop(new CropRegion(2, 1, 7, 4))
                        .withDownsample(3);
        assertThat(cfg.outputWidth()).isEqualTo(3);
        assertThat(cfg.outputHeight()).isEqualTo(2);
        var acc = new WindowAccumulator(cfg);
        assertThat(acc.pixel(2, 1)).isEqualTo(0);
        assertThat(acc.pixel(4, 3)).isEqualTo(0); // (2/3, 2/3) = (0, 0)
        assertThat(acc.pixel(5, 1)).isEqualTo(1); // column 3/3 = 1
        assertThat(acc.pixel(8, 4)).isEqualTo(1 * 3 + 2); // (6/3, 3/3) = (2, 1), partial block
        assertThat(acc.pixel(9, 1)).isEqualTo(WindowAccumulator.EXCLUDED);
        assertThat(acc.pixel(1, 1)).isEqualTo(WindowAccumulator.EXCLUDED);
        assertThat(acc.pixel(10, 1)).isEqualTo(WindowAccumulator.INVALID);
        assertThat(acc.pixel(-1, 0)).isEqualTo(WindowAccumulator.INVALID);
        assertThat(acc.frameLength()).isEqualTo(2 * 3 * 2);
    }

    @Test
    void configValidationNamesTheProblem() {
        var base = BinnerConfig.of(Duration.ofMillis(1), FrameKind.COUNTS, 128, 128);
        assertThatThrownBy(() -> base.withCrop(new CropRegion(120, 0, 10, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the sensor");
        assertThatThrownBy(() -> base.withDownsample(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("downsample");
        assertThatThrownBy(() -> base.withVoxelBins(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("voxelBins");
        assertThatThrownBy(() -> BinnerConfig.of(Duration.ZERO, FrameKind.COUNTS, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
        assertThatThrownBy(() -> BinnerConfig.of(Duration.ofMillis(1), FrameKind.COUNTS, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sensor size");
        assertThat(BinnerConfig.of(Duration.ofMillis(1), FrameKind.VOXEL, 4, 4).channels())
                .isEqualTo(BinnerConfig.DEFAULT_VOXEL_BINS);
    }
}
