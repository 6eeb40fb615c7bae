package io.dvsflow.connectors.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Hands recordings to readers one at a time, on request (pull-based, so fast readers get more). */
final class RecordingSplitEnumerator
        implements SplitEnumerator<RecordingSplit, List<RecordingSplit>> {

    private final SplitEnumeratorContext<RecordingSplit> context;
    private final ArrayDeque<RecordingSplit> pending;

    RecordingSplitEnumerator(
            SplitEnumeratorContext<RecordingSplit> context, List<RecordingSplit> pending) {
        this.context = context;
        this.pending = new ArrayDeque<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        RecordingSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<RecordingSplit> splits, int subtaskId) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // readers ask for splits themselves
    }

    @Override
    public List<RecordingSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
