package io.dvsflow.operators.types;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;

/** Snapshot of the (configuration-free) {@link ImageFrameSerializer}. */
public final class ImageFrameSerializerSnapshot extends SimpleTypeSerializerSnapshot<ImageFrame> {

    /** Used by Flink to read the snapshot back (reflection needs a public no-argument one). */
    public ImageFrameSerializerSnapshot() {
        super(ImageFrameSerializer::new);
    }
}
