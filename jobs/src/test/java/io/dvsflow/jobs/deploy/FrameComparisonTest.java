package io.dvsflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.PixelType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameComparisonTest {

    /** A 2x1 FLOAT32 frame of stream {@code s}, window [start, start + 50 ms). */
    private static Frame frame(String s, long start, float p0, float p1) {
        ByteBuffer px = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        px.putFloat(p0).putFloat(p1).flip();
        return Frame.newBuilder()
                .setStreamId(s)
                .setWindowStartUs(start)
                .setWindowEndUs(start + 50_000)
                .setWidth(2)
                .setHeight(1)
                .setChannels(1)
                .setPixelType(PixelType.FLOAT32)
                .setPixels(px)
                .setKind("highpass")
                .setEventCount(7)
                .build();
    }

    private static List<Frame> reference() {
        return List.of(
                frame("a", 0, 0.5f, -0.25f), frame("a", 50_000, 0.75f, 0f), frame("b", 0, 1f, 2f));
    }

    @Test
    void sameFramesInAnotherOrderAreIdenticalWithEqualDigests() {
        List<Frame> shuffled = new ArrayList<>(reference());
        java.util.Collections.reverse(shuffled);
        FrameComparison.Result r = FrameComparison.compare(reference(), shuffled);
        assertThat(r.identical()).isTrue();
        assertThat(r.identicalFrames()).isEqualTo(3);
        assertThat(r.streams()).isEqualTo(2);
        assertThat(r.actualDigest()).isEqualTo(r.expectedDigest()).hasSize(64);
        assertThat(r.summary().strip()).endsWith("IDENTICAL");
    }

    @Test
    void aDuplicatedWindowIsCountedAndFailsTheComparison() {
        List<Frame> dup = new ArrayList<>(reference());
        dup.add(frame("a", 50_000, 0.75f, 0f));
        FrameComparison.Result r = FrameComparison.compare(reference(), dup);
        assertThat(r.actualDuplicates()).isEqualTo(1);
        assertThat(r.lost()).isZero();
        assertThat(r.extra()).isZero();
        assertThat(r.identical()).isFalse();
    }

    @Test
    void lostAndExtraFramesAreReported() {
        List<Frame> actual =
                List.of(frame("a", 0, 0.5f, -0.25f), frame("b", 0, 1f, 2f), frame("c", 0, 0, 0));
        FrameComparison.Result r = FrameComparison.compare(reference(), actual);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.extra()).isEqualTo(1);
        assertThat(r.examples()).contains("lost a@50000", "extra c@0");
        assertThat(r.identical()).isFalse();
    }

    @Test
    void oneUlpInOnePixelIsAMismatch() {
        // 0.75f = 0x3F400000; Math.nextUp gives 0x3F400001: one bit of the mantissa differs
        assertThat(Float.floatToIntBits(Math.nextUp(0.75f))).isEqualTo(0x3F400001);
        List<Frame> actual =
                List.of(
                        frame("a", 0, 0.5f, -0.25f),
                        frame("a", 50_000, Math.nextUp(0.75f), 0f),
                        frame("b", 0, 1f, 2f));
        FrameComparison.Result r = FrameComparison.compare(reference(), actual);
        assertThat(r.mismatched()).isEqualTo(1);
        assertThat(r.identicalFrames()).isEqualTo(2);
        assertThat(r.actualDigest()).isNotEqualTo(r.expectedDigest());
        assertThat(r.identical()).isFalse();
    }

    @Test
    void aDifferentEventCountIsAMismatchEvenWithEqualPixels() {
        Frame other = frame("b", 0, 1f, 2f);
        other.setEventCount(8);
        assertThat(FrameComparison.sameFrame(frame("b", 0, 1f, 2f), other)).isFalse();
        assertThat(FrameComparison.sameFrame(frame("b", 0, 1f, 2f), frame("b", 0, 1f, 2f)))
                .isTrue();
    }
}
