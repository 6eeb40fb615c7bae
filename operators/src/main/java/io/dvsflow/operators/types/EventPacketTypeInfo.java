package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;

/**
 * Type information for {@link EventPacket}, which is not a Flink POJO (no default constructor, no
 * setters for its columns). Pass {@link #INSTANCE} wherever Flink cannot infer the type, e.g.
 * {@code env.fromData(EventPacketTypeInfo.INSTANCE, packets)} or {@code .returns(...)}, so that
 * generic types (Kryo) can stay disabled.
 */
public final class EventPacketTypeInfo extends SingleSerializerTypeInfo<EventPacket> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the type information is stateless). */
    public static final EventPacketTypeInfo INSTANCE = new EventPacketTypeInfo();

    public EventPacketTypeInfo() {
        super(EventPacket.class, EventPacketSerializer::new);
    }
}
