package io.dvsflow.connectors.source;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One recording as a split of {@link DvsFileSource}: a file, the stream id its packets carry, and
 * the read position reached so far.
 *
 * <p>The position is the number of events already emitted ({@code eventsEmitted}) plus the byte
 * offset the decoder had reached ({@code byteOffset}, for diagnostics and metrics). A restored
 * split re-opens the file and resumes after exactly {@code eventsEmitted} events: decoder state
 * (timestamp wrap counters, EVT 3.0 vector base, AEDAT 3.1 overflow) is rebuilt by decoding the
 * skipped prefix, so no event is lost or repeated whatever the format.
 *
 * @param path the recording
 * @param streamId the stream id of its packets
 * @param eventsEmitted events already emitted
 * @param byteOffset decoder byte offset when the split was snapshotted
 */
public record RecordingSplit(String path, String streamId, long eventsEmitted, long byteOffset)
        implements SourceSplit, java.io.Serializable {

    public RecordingSplit {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(streamId, "streamId");
        if (eventsEmitted < 0 || byteOffset < 0) {
            throw new IllegalArgumentException("negative position in split " + streamId);
        }
    }

    /** A split at the start of the recording. */
    public static RecordingSplit of(String path, String streamId) {
        return new RecordingSplit(path, streamId, 0, 0);
    }

    @Override
    public String splitId() {
        return streamId + "@" + path;
    }

    /** The same split at a later position. */
    public RecordingSplit at(long events, long offset) {
        return new RecordingSplit(path, streamId, events, offset);
    }
}
