package io.dvsflow.connectors.source;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source of {@link EventPacket}s from recordings on disk: one split per recording, one
 * stream id per recording, the format of each detected by content.
 *
 * <p>Checkpointed state: per recording, the events emitted so far (and the decoder's byte offset);
 * a restored job resumes mid-file with no event lost or repeated (see {@link RecordingSplit}). Each
 * packet's timestamp is its last event's time in µs; recordings get separate watermarks (per-split
 * outputs). The job passes the packet type information to {@code env.fromSource}.
 *
 * <pre>{@code
 * DvsFileSource source = DvsFileSource.builder()
 *         .addRecording(Path.of("rec.aedat"), "cam0")
 *         .replaySpeed(1.0)
 *         .build();
 * DataStream<EventPacket> packets =
 *         env.fromSource(source, watermarks, "recordings", EventPacketTypeInfo.INSTANCE);
 * }</pre>
 */
public final class DvsFileSource
        implements Source<EventPacket, RecordingSplit, List<RecordingSplit>> {

    private static final long serialVersionUID = 1L;

    private final List<RecordingSplit> recordings;
    private final ReaderOptions options;
    private final double speed;
    private final boolean failOnCorrupt;

    private DvsFileSource(
            List<RecordingSplit> recordings,
            ReaderOptions options,
            double speed,
            boolean failOnCorrupt) {
        this.recordings = List.copyOf(recordings);
        this.options = options;
        this.speed = speed;
        this.failOnCorrupt = failOnCorrupt;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The recordings, in the order they are handed out. */
    public List<RecordingSplit> recordings() {
        return recordings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<EventPacket, RecordingSplit> createReader(SourceReaderContext context) {
        return new RecordingSourceReader(context, options, speed, failOnCorrupt);
    }

    @Override
    public SplitEnumerator<RecordingSplit, List<RecordingSplit>> createEnumerator(
            SplitEnumeratorContext<RecordingSplit> context) {
        return new RecordingSplitEnumerator(context, recordings);
    }

    @Override
    public SplitEnumerator<RecordingSplit, List<RecordingSplit>> restoreEnumerator(
            SplitEnumeratorContext<RecordingSplit> context, List<RecordingSplit> checkpoint) {
        return new RecordingSplitEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RecordingSplit> getSplitSerializer() {
        return RecordingSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<RecordingSplit>> getEnumeratorCheckpointSerializer() {
        return PendingSplitsSerializer.INSTANCE;
    }

    /** Builder of {@link DvsFileSource}; {@link #build()} checks every setting. */
    public static final class Builder {
        private final List<RecordingSplit> recordings = new ArrayList<>();
        private ReaderOptions options = ReaderOptions.defaults();
        private double speed;
        private boolean failOnCorrupt;

        private Builder() {}

        /** Adds one recording with its stream id. */
        public Builder addRecording(Path file, String streamId) {
            recordings.add(RecordingSplit.of(file.toAbsolutePath().toString(), streamId));
            return this;
        }

        /**
         * Adds a file (stream id: its file name), or every regular file of a folder, recursively,
         * sorted by path (stream id: the path relative to the folder).
         */
        public Builder addPath(Path path) throws IOException {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".")
                                || name.endsWith(".csv")
                                || name.endsWith(".json")
                                || name.endsWith(".txt")
                                || name.endsWith(".md")) {
                            continue;
                        }
                        addRecording(f, path.relativize(f).toString());
                    }
                }
            } else {
                addRecording(path, path.getFileName().toString());
            }
            return this;
        }

        /** Options passed to every reader (format override, layout, flips, packet size). */
        public Builder readerOptions(ReaderOptions readerOptions) {
            this.options = readerOptions;
            return this;
        }

        /**
         * Replay pacing: {@code 0} as fast as possible (default), {@code 1.0} real time, {@code N}
         * N times real time.
         */
        public Builder replaySpeed(double replaySpeed) {
            this.speed = replaySpeed;
            return this;
        }

        /** Fail the job on a corrupt recording instead of skipping to the next (default false). */
        public Builder failOnCorrupt(boolean fail) {
            this.failOnCorrupt = fail;
            return this;
        }

        /** Builds the source. */
        public DvsFileSource build() {
            if (recordings.isEmpty()) {
                throw new IllegalStateException(
                        "DvsFileSource needs at least one recording: call addRecording(...) or"
                                + " addPath(...) before build()");
            }
            if (options == null) {
                throw new IllegalStateException(
                        "DvsFileSource needs reader options: readerOptions(...) was given null");
            }
            if (!(speed >= 0) || Double.isInfinite(speed)) {
                throw new IllegalStateException(
                        "DvsFileSource replaySpeed(...) must be 0 (as fast as possible) or a"
                                + " positive factor, was "
                                + speed);
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (RecordingSplit r : recordings) {
                if (!ids.add(r.splitId())) {
                    throw new IllegalStateException(
                            "DvsFileSource got the recording " + r.splitId() + " twice");
                }
            }
            return new DvsFileSource(recordings, options, speed, failOnCorrupt);
        }
    }
}
