package io.dvsflow.operators.vdib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.models.learning.GradientEstimator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GradientSampleTest {

    private static GradientSample sample(GradientEstimator e) {
        return new GradientSample(
                "cam-1",
                50_000L,
                7L,
                40L,
                1.25,
                310.5,
                e,
                new float[][] {{1f, -2f, 3f}, {}},
                new float[][] {{0.5f}});
    }

    @Test
    void roundTripKeepsEveryFieldAndTheEstimator() {
        for (GradientEstimator e : GradientEstimator.values()) {
            GradientSample s = sample(e);
            GradientSample back = GradientSample.fromBytes(s.toBytes());
            assertThat(back.estimator()).isEqualTo(e);
            assertThat(back.streamId()).isEqualTo("cam-1");
            assertThat(back.windowStartUs()).isEqualTo(50_000L);
            assertThat(back.modelVersion()).isEqualTo(7L);
            assertThat(back.steps()).isEqualTo(40L);
            assertThat(back.klLoss()).isEqualTo(1.25);
            assertThat(back.decoderLoss()).isEqualTo(310.5);
            assertThat(back.encoder()[0]).containsExactly(1f, -2f, 3f);
            assertThat(back.encoder()[1]).isEmpty();
            assertThat(back.decoder()[0]).containsExactly(0.5f);
        }
    }

    @Test
    void anUnknownEstimatorOrATruncatedRecordIsRejected() {
        byte[] b = sample(GradientEstimator.PATHWISE).toBytes();
        // the estimator ordinal follows the two loss doubles; find it as the int 1 after them
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); // StateCodec's order
        int at = -1;
        for (int i = 8; i + 4 <= b.length; i++) {
            if (buf.getInt(i) == GradientEstimator.PATHWISE.ordinal()
                    && buf.getLong(i - 8) == Double.doubleToLongBits(310.5)) {
                at = i;
                break;
            }
        }
        assertThat(at).as("estimator field found").isPositive();
        byte[] bad = b.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 9);
        assertThatThrownBy(() -> GradientSample.fromBytes(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("estimator");
        assertThatThrownBy(() -> GradientSample.fromBytes(Arrays.copyOf(b, b.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
