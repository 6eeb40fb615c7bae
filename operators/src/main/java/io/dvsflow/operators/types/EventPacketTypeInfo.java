package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for {@link EventPacket}, which is not a Flink POJO (no default constructor, no
 * setters for its columns). Pass {@link #INSTANCE} wherever Flink cannot infer the type, e.g.
 * {@code env.fromData(EventPacketTypeInfo.INSTANCE, packets)} or {@code .returns(...)}, so that
 * generic types (Kryo) can stay disabled.
 */
public final class EventPacketTypeInfo extends TypeInformation<EventPacket> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the type information is stateless). */
    public static final EventPacketTypeInfo INSTANCE = new EventPacketTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<EventPacket> getTypeClass() {
        return EventPacket.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<EventPacket> createSerializer(SerializerConfig config) {
        return new EventPacketSerializer();
    }

    @Override
    public String toString() {
        return "EventPacketTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EventPacketTypeInfo;
    }

    @Override
    public int hashCode() {
        return EventPacketTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof EventPacketTypeInfo;
    }
}
