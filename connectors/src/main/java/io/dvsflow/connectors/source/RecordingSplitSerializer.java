package io.dvsflow.connectors.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint serializer of {@link RecordingSplit} (version 1: path, stream id, events, offset). */
public final class RecordingSplitSerializer implements SimpleVersionedSerializer<RecordingSplit> {

    /** The shared instance. */
    public static final RecordingSplitSerializer INSTANCE = new RecordingSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RecordingSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, split);
        }
        return bytes.toByteArray();
    }

    static void write(DataOutputStream out, RecordingSplit split) throws IOException {
        out.writeUTF(split.path());
        out.writeUTF(split.streamId());
        out.writeLong(split.eventsEmitted());
        out.writeLong(split.byteOffset());
    }

    static RecordingSplit read(DataInputStream in) throws IOException {
        return new RecordingSplit(in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
    }

    @Override
    public RecordingSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown RecordingSplit serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }
}
