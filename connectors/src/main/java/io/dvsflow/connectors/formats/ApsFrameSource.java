package io.dvsflow.connectors.formats;

import java.util.function.Consumer;

/**
 * A reader of a format that records DAVIS APS frames beside the events (jAER DAVIS AEDAT 2.0 APS
 * samples, AEDAT 3.1 {@code FRAME} packets, AEDAT 4.0 {@code FRME} streams): with a listener set,
 * {@link EventReader#read} hands every frame it walks past to it; without one the frames are
 * skipped and counted as {@code frame}.
 */
public interface ApsFrameSource {

    /** Receives the frames decoded from now on; {@code null} skips them again. */
    void setFrameListener(Consumer<ApsFrame> listener);
}
