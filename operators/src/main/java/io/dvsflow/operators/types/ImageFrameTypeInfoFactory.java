package io.dvsflow.operators.types;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Lets Flink's type extraction find {@link ImageFrameTypeInfo} for {@link ImageFrame} wherever the
 * type appears (referenced from the {@code @TypeInfo} annotation on the record).
 */
public final class ImageFrameTypeInfoFactory extends TypeInfoFactory<ImageFrame> {

    @Override
    public TypeInformation<ImageFrame> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return ImageFrameTypeInfo.INSTANCE;
    }
}
