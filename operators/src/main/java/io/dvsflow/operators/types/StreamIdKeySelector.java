package io.dvsflow.operators.types;

import io.dvsflow.schemas.EventPacket;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/** Keys packets by {@link EventPacket#streamId()}: all keyed state in dvsflow is per stream. */
public final class StreamIdKeySelector
        implements KeySelector<EventPacket, String>, ResultTypeQueryable<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(EventPacket packet) {
        return packet.streamId();
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
