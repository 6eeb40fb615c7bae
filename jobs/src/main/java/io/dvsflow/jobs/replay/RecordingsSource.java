package io.dvsflow.jobs.replay;

import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.schemas.EventPacket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link DvsFileSource} that survives Java serialization: it keeps the recordings as (path,
 * stream id) strings with the reader options and pacing, and rebuilds the file source where Flink
 * deserializes it.
 *
 * <p>Why: {@code DvsFileSource} holds {@link RecordingSplit}s, which are not {@code Serializable},
 * so a job graph containing it cannot be submitted ("Could not serialize stream node"). Until
 * {@code RecordingSplit} implements {@code Serializable}, jobs wrap the source with {@link
 * #of(DvsFileSource, ReaderOptions, double)}.
 */
public final class RecordingsSource
        implements Source<EventPacket, RecordingSplit, List<RecordingSplit>> {

    private static final long serialVersionUID = 1L;

    private final ArrayList<String> paths;
    private final ArrayList<String> streamIds;
    private final ReaderOptions options;
    private final double speed;
    private transient DvsFileSource delegate;

    private RecordingsSource(DvsFileSource source, ReaderOptions options, double speed) {
        this.paths = new ArrayList<>();
        this.streamIds = new ArrayList<>();
        for (RecordingSplit r : source.recordings()) {
            paths.add(r.path());
            streamIds.add(r.streamId());
        }
        this.options = options;
        this.speed = speed;
        this.delegate = source;
    }

    /**
     * Wraps {@code source}; {@code options} and {@code speed} must be those it was built with (the
     * file source does not expose them).
     */
    public static RecordingsSource of(DvsFileSource source, ReaderOptions options, double speed) {
        return new RecordingsSource(source, options, speed);
    }

    private DvsFileSource source() {
        if (delegate == null) {
            DvsFileSource.Builder b =
                    DvsFileSource.builder().readerOptions(options).replaySpeed(speed);
            for (int i = 0; i < paths.size(); i++) {
                b.addRecording(Path.of(paths.get(i)), streamIds.get(i));
            }
            delegate = b.build();
        }
        return delegate;
    }

    @Override
    public Boundedness getBoundedness() {
        return source().getBoundedness();
    }

    @Override
    public SourceReader<EventPacket, RecordingSplit> createReader(SourceReaderContext context)
            throws Exception {
        return source().createReader(context);
    }

    @Override
    public SplitEnumerator<RecordingSplit, List<RecordingSplit>> createEnumerator(
            SplitEnumeratorContext<RecordingSplit> context) throws Exception {
        return source().createEnumerator(context);
    }

    @Override
    public SplitEnumerator<RecordingSplit, List<RecordingSplit>> restoreEnumerator(
            SplitEnumeratorContext<RecordingSplit> context, List<RecordingSplit> checkpoint)
            throws Exception {
        return source().restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RecordingSplit> getSplitSerializer() {
        return source().getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<RecordingSplit>> getEnumeratorCheckpointSerializer() {
        return source().getEnumeratorCheckpointSerializer();
    }
}
