package io.dvsflow.operators.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information for {@link ImageFrame}, serialized by {@link ImageFrameSerializer}. */
public final class ImageFrameTypeInfo extends TypeInformation<ImageFrame> {

    private static final long serialVersionUID = 1L;

    /** The shared instance (the type information is stateless). */
    public static final ImageFrameTypeInfo INSTANCE = new ImageFrameTypeInfo();

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
    public Class<ImageFrame> getTypeClass() {
        return ImageFrame.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ImageFrame> createSerializer(SerializerConfig config) {
        return new ImageFrameSerializer();
    }

    @Override
    public String toString() {
        return "ImageFrameTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ImageFrameTypeInfo;
    }

    @Override
    public int hashCode() {
        return ImageFrameTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ImageFrameTypeInfo;
    }
}
