package io.dvsflow.operators.vdib;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for {@link SpikeWindow}, serialized by {@link SpikeWindowSerializer}. */
public final class SpikeWindowTypeInfo extends TypeInformation<SpikeWindow> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the type information is stateless). */
    public static final SpikeWindowTypeInfo INSTANCE = new SpikeWindowTypeInfo();

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
    public Class<SpikeWindow> getTypeClass() {
        return SpikeWindow.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SpikeWindow> createSerializer(SerializerConfig config) {
        return new SpikeWindowSerializer();
    }

    @Override
    public String toString() {
        return "SpikeWindowTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SpikeWindowTypeInfo;
    }

    @Override
    public int hashCode() {
        return SpikeWindowTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof SpikeWindowTypeInfo;
    }
}
