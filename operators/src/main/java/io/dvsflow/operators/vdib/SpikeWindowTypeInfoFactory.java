package io.dvsflow.operators.vdib;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink's type extraction use {@link SpikeWindowTypeInfo} for {@link SpikeWindow}. */
public final class SpikeWindowTypeInfoFactory extends TypeInfoFactory<SpikeWindow> {
    @Override
    public TypeInformation<SpikeWindow> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return SpikeWindowTypeInfo.INSTANCE;
    }
}
