package io.dvsflow.connectors.datasets;

import io.dvsflow.schemas.avro.LabeledSegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One recording of a dataset as its layout describes it (the events are not read).
 *
 * @param streamId stream id to give the recording's packets (unique within the dataset, e.g. {@code
 *     mnist_3_scale04_0012} or {@code user01_fluorescent})
 * @param path the event file
 * @param label class of the whole recording, {@code -1} when the recording holds several classes
 *     (DVS Gesture: see {@code segments})
 * @param split train, test or unsplit
 * @param target the source image (row-major unsigned bytes, {@code targetSide}²) when known
 *     (emulated MNIST-DVS), else {@code null}
 * @param segments labelled time spans (DVS Gesture: one per label row), empty when the recording
 *     has one label
 * @param width sensor width in pixels, as the dataset defines it
 * @param height sensor height in pixels, as the dataset defines it
 */
public record DatasetRecording(
        String streamId,
        Path path,
        int label,
        DatasetSplit split,
        byte[] target,
        List<LabeledSegment> segments,
        int width,
        int height) {

    /** Copies the segment list and checks the required fields. */
    public DatasetRecording {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        segments = List.copyOf(segments);
    }

    /** Whether the source image is known. */
    public boolean hasTarget() {
        return target != null;
    }
}
