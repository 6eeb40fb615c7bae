package io.dvsflow.connectors.source;

import io.dvsflow.connectors.formats.EventFormatException;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventReader;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one recording at a time and emits its packets, each stamped with its last event's time (µs)
 * on a per-recording output, so every recording gets its own watermark.
 *
 * <p>Pacing: with {@code speed > 0} a packet whose first event lies {@code dt} µs after the
 * recording's first event is emitted no earlier than {@code dt / speed} after the recording
 * started; with {@code speed == 0} as fast as possible. Pacing only delays emission; the packets
 * and their timestamps are the same.
 *
 * <p><b>End of a recording</b>: after its last packet the reader emits an empty packet of the same
 * stream id (the end-of-stream marker), so keyed operators can close the stream's windows and drop
 * its state at once instead of waiting for the end of the whole input or an idle timeout.
 *
 * <p>Corrupt input: an {@link EventFormatException} ends that recording (the events before the
 * damage are emitted), is logged with the file and byte offset and counted in the {@code
 * corruptRecordings} metric; the job goes on with the next recording, unless {@code failOnCorrupt}
 * is set.
 */
final class RecordingSourceReader implements SourceReader<EventPacket, RecordingSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingSourceReader.class);

    private final SourceReaderContext context;
    private final ReaderOptions options;
    private final double speed;
    private final boolean failOnCorrupt;
    private final ArrayDeque<RecordingSplit> queue = new ArrayDeque<>();
    private final Counter eventsCounter;
    private final Counter packetsCounter;
    private final Counter corruptCounter;
    private final Counter skippedCounter;

    private CompletableFuture<Void> available = new CompletableFuture<>();
    private ScheduledExecutorService timer;
    private boolean noMoreSplits;
    private boolean splitRequested;

    private RecordingSplit split;
    private EventReader reader;
    private SourceOutput<EventPacket> splitOutput;
    private long emitted;
    private EventPacket lastPacket;
    private long skippedReported;
    private EventPacket pending;
    private long wallStartNanos;
    private long firstEventUs = Long.MIN_VALUE;

    RecordingSourceReader(
            SourceReaderContext context,
            ReaderOptions options,
            double speed,
            boolean failOnCorrupt) {
        this.context = context;
        this.options = options;
        this.speed = speed;
        this.failOnCorrupt = failOnCorrupt;
        this.eventsCounter = context.metricGroup().counter("eventsRead");
        this.packetsCounter = context.metricGroup().counter("packetsRead");
        this.corruptCounter = context.metricGroup().counter("corruptRecordings");
        this.skippedCounter = context.metricGroup().counter("skippedWords");
    }

    @Override
    public void start() {
        requestSplit();
    }

    private void requestSplit() {
        if (!splitRequested && !noMoreSplits) {
            splitRequested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<EventPacket> output) throws Exception {
        if (split == null && !openNext(output)) {
            if (noMoreSplits && queue.isEmpty()) {
                return InputStatus.END_OF_INPUT;
            }
            requestSplit();
            resetAvailability();
            return InputStatus.NOTHING_AVAILABLE;
        }
        if (pending == null) {
            EventPacket packet = reader.newPacket();
            boolean more;
            try {
                more = reader.read(packet);
            } catch (EventFormatException e) {
                corrupt(e);
                finishSplit(output);
                return InputStatus.MORE_AVAILABLE;
            }
            reportSkipped();
            if (!more) {
                finishSplit(output);
                return InputStatus.MORE_AVAILABLE;
            }
            pending = packet;
        }
        if (speed > 0) {
            long first = pending.firstTimestamp();
            if (firstEventUs == Long.MIN_VALUE) {
                firstEventUs = first;
                wallStartNanos = System.nanoTime();
            }
            long dueNanos = wallStartNanos + (long) ((first - firstEventUs) * 1000.0 / speed);
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                resetAvailability();
                CompletableFuture<Void> f = available;
                timer().schedule(() -> f.complete(null), wait, TimeUnit.NANOSECONDS);
                return InputStatus.NOTHING_AVAILABLE;
            }
        }
        EventPacket packet = pending;
        pending = null;
        splitOutput.collect(packet, packet.lastTimestamp());
        lastPacket = packet;
        emitted += packet.size();
        eventsCounter.inc(packet.size());
        packetsCounter.inc();
        return InputStatus.MORE_AVAILABLE;
    }

    private boolean openNext(ReaderOutput<EventPacket> output) throws IOException {
        while (!queue.isEmpty()) {
            RecordingSplit next = queue.poll();
            try {
                reader =
                        EventFormats.open(
                                Path.of(next.path()), options.withStreamId(next.streamId()));
                split = next;
                emitted = 0;
                skippedReported = 0;
                firstEventUs = Long.MIN_VALUE;
                splitOutput = output.createOutputForSplit(next.splitId());
                if (next.eventsEmitted() > 0) {
                    LOG.info(
                            "Resuming recording {} after {} events (byte {})",
                            next.streamId(),
                            next.eventsEmitted(),
                            next.byteOffset());
                }
                skipTo(next.eventsEmitted());
                return true;
            } catch (EventFormatException e) {
                corrupt(e);
                closeReader();
                if (split != null) {
                    output.releaseOutputForSplit(split.splitId());
                    split = null;
                }
            }
        }
        return false;
    }

    /**
     * Re-decodes and drops the first {@code events} events, keeping the tail of the last packet.
     */
    private void skipTo(long events) throws IOException {
        while (emitted < events) {
            EventPacket packet = reader.newPacket();
            if (!reader.read(packet)) {
                throw new EventFormatException(
                        split.path(),
                        reader.position(),
                        "restored position of "
                                + events
                                + " events lies past the end of the recording ("
                                + emitted
                                + " events)");
            }
            long after = emitted + packet.size();
            if (after > events) {
                int keep = (int) (after - events);
                int from = packet.size() - keep;
                EventPacket tail =
                        new EventPacket(packet.streamId(), packet.width(), packet.height(), keep);
                for (int i = from; i < packet.size(); i++) {
                    tail.add(
                            packet.timestamps()[i],
                            packet.xs()[i],
                            packet.ys()[i],
                            packet.polarities()[i]);
                }
                pending = tail;
                emitted = events;
            } else {
                emitted = after;
            }
        }
        skippedReported = reader.statistics().skippedTotal();
    }

    private void corrupt(EventFormatException e) {
        corruptCounter.inc();
        if (failOnCorrupt) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.error("Corrupt recording, continuing with the next one: {}", e.getMessage());
    }

    private void reportSkipped() {
        long total = reader.statistics().skippedTotal();
        skippedCounter.inc(total - skippedReported);
        skippedReported = total;
    }

    private void finishSplit(ReaderOutput<EventPacket> output) throws IOException {
        LOG.info("Finished recording {} after {} events", split.streamId(), emitted);
        if (lastPacket != null && splitOutput != null) {
            // the end-of-stream marker: an empty packet of the stream, at its last event time
            splitOutput.collect(
                    new EventPacket(
                            lastPacket.streamId(), lastPacket.width(), lastPacket.height(), 0),
                    lastPacket.lastTimestamp());
        }
        lastPacket = null;
        closeReader();
        output.releaseOutputForSplit(split.splitId());
        split = null;
        pending = null;
        requestSplit();
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "dvsflow-replay-pacing");
                                t.setDaemon(true);
                                return t;
                            });
        }
        return timer;
    }

    private void resetAvailability() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
    }

    @Override
    public List<RecordingSplit> snapshotState(long checkpointId) {
        List<RecordingSplit> state = new ArrayList<>();
        if (split != null) {
            // pending packets are not counted in emitted: they are read again after a restore
            state.add(split.at(emitted, reader == null ? 0 : reader.position()));
        }
        state.addAll(queue);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<RecordingSplit> splits) {
        queue.addAll(splits);
        splitRequested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        closeReader();
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
