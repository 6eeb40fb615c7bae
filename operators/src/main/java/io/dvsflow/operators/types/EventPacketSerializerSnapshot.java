package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;

/**
 * Snapshot of the (configuration-free) {@link EventPacketSerializer}, written into checkpoints and
 * savepoints; a restore with the same serializer class is compatible as is.
 */
public final class EventPacketSerializerSnapshot extends SimpleTypeSerializerSnapshot<EventPacket> {

    /** Used by Flink to read the snapshot back (reflection needs a public no-argument one). */
    public EventPacketSerializerSnapshot() {
        super(EventPacketSerializer::new);
    }
}
