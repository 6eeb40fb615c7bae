package io.dvsflow.connectors.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint serializer of the enumerator's state: the splits not yet assigned. */
public final class PendingSplitsSerializer
        implements SimpleVersionedSerializer<List<RecordingSplit>> {

    /** The shared instance. */
    public static final PendingSplitsSerializer INSTANCE = new PendingSplitsSerializer();

    private static final int VERSION = 1;
    private static final int MAX_SPLITS = 10_000_000;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(List<RecordingSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(splits.size());
            for (RecordingSplit s : splits) {
                RecordingSplitSerializer.write(out, s);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public List<RecordingSplit> deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown pending-splits serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            if (n < 0 || n > MAX_SPLITS) {
                throw new IOException("corrupt pending-splits state: " + n + " splits");
            }
            List<RecordingSplit> splits = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                splits.add(RecordingSplitSerializer.read(in));
            }
            return splits;
        }
    }
}
