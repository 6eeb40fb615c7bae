package io.dvsflow.jobs.view;

import io.dvsflow.connectors.sink.FramePngEncoder;
import io.dvsflow.schemas.avro.Frame;
import io.dvsflow.schemas.avro.LayerSpikes;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The latest image of one {@code (stream, kind)} as the viewer shows it: PNG bytes (rendered lazily
 * from an Avro {@link Frame} when it came from Kafka) and what is known about it.
 *
 * <p>Latency is defined as {@code receivedAtMillis - producedAtMillis}: the wall-clock time between
 * the frame leaving the pipeline (the PNG file's modification time in folder mode; the Kafka record
 * timestamp in Kafka mode, i.e. when the job's producer sent it, which with {@code read_committed}
 * excludes the wait for the checkpoint that commits it) and the viewer receiving it. The page also
 * shows the frame's age, {@code now - receivedAtMillis}. Event-time lag is not shown: event time is
 * the camera's clock (often a recording's), which has no fixed relation to the wall clock.
 *
 * <p>Unknown values are {@code null} (shown as '-'). Kafka frames carry the model version, event
 * count and spike statistics; PNG files written by dvsflow carry the same in a {@code tEXt} chunk
 * ({@code PngMetadata}), other PNG files none ({@code spikeStats} of the Avro {@code Frame}: per
 * layer the spike rate, active-neuron ratio and bursting ratio, on vdib images).
 */
public final class ViewFrame {

    private final long sequence;
    private final String stream;
    private final String kind;
    private final long windowStartUs;
    private final long windowEndUs;
    private final Long modelVersion;
    private final Long eventCount;
    private final List<LayerSpikes> spikes;
    private final long producedAtMillis;
    private final long receivedAtMillis;
    private final Frame frame;
    private byte[] png;

    private ViewFrame(
            long sequence,
            String stream,
            String kind,
            long windowStartUs,
            long windowEndUs,
            Long modelVersion,
            Long eventCount,
            List<LayerSpikes> spikes,
            long producedAtMillis,
            long receivedAtMillis,
            Frame frame,
            byte[] png) {
        this.sequence = sequence;
        this.stream = Objects.requireNonNull(stream, "stream");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.windowStartUs = windowStartUs;
        this.windowEndUs = windowEndUs;
        this.modelVersion = modelVersion;
        this.eventCount = eventCount;
        this.spikes = spikes == null || spikes.isEmpty() ? null : List.copyOf(spikes);
        this.producedAtMillis = producedAtMillis;
        this.receivedAtMillis = receivedAtMillis;
        this.frame = frame;
        this.png = png;
    }

    /**
     * A frame read from a PNG file.
     *
     * @param windowEndUs window end in µs, or -1 when unknown
     * @param producedAtMillis the file's modification time (ms since the epoch)
     */
    static ViewFrame ofPng(
            long sequence,
            String stream,
            String kind,
            long windowStartUs,
            long windowEndUs,
            byte[] png,
            long producedAtMillis,
            long receivedAtMillis) {
        return ofPng(
                sequence,
                stream,
                kind,
                windowStartUs,
                windowEndUs,
                null,
                null,
                null,
                png,
                producedAtMillis,
                receivedAtMillis);
    }

    /**
     * A frame read from a PNG file with the metadata dvsflow stores in it ({@code PngMetadata});
     * unknown values null.
     */
    static ViewFrame ofPng(
            long sequence,
            String stream,
            String kind,
            long windowStartUs,
            long windowEndUs,
            Long modelVersion,
            Long eventCount,
            List<LayerSpikes> spikes,
            byte[] png,
            long producedAtMillis,
            long receivedAtMillis) {
        return new ViewFrame(
                sequence,
                stream,
                kind,
                windowStartUs,
                windowEndUs,
                modelVersion,
                eventCount,
                spikes,
                producedAtMillis,
                receivedAtMillis,
                null,
                Objects.requireNonNull(png, "png"));
    }

    /** A frame decoded from Avro; its PNG is rendered on first request (scale 1). */
    static ViewFrame ofFrame(
            long sequence, Frame frame, long producedAtMillis, long receivedAtMillis) {
        return new ViewFrame(
                sequence,
                frame.getStreamId().toString(),
                frame.getKind().toString(),
                frame.getWindowStartUs(),
                frame.getWindowEndUs(),
                frame.getModelVersion(),
                frame.getEventCount(),
                frame.getSpikeStats(),
                producedAtMillis,
                receivedAtMillis,
                frame,
                null);
    }

    /** The same frame with another sequence number. */
    ViewFrame withSequence(long newSequence) {
        return new ViewFrame(
                newSequence,
                stream,
                kind,
                windowStartUs,
                windowEndUs,
                modelVersion,
                eventCount,
                spikes,
                producedAtMillis,
                receivedAtMillis,
                frame,
                png);
    }

    /** Order of arrival in the {@link FrameStore} (1, 2, ...). */
    public long sequence() {
        return sequence;
    }

    public String stream() {
        return stream;
    }

    /** counts, binary, signed, voxel, events, integrate, highpass, vdib, target, or other. */
    public String kind() {
        return kind;
    }

    /** Which column of the page shows this kind: events, naturalized, target or other. */
    public String group() {
        return groupOf(kind);
    }

    /** The column of a kind: event frames, naturalized images, targets, or other. */
    public static String groupOf(String kind) {
        return switch (kind) {
            case "events", "counts", "binary", "signed", "voxel" -> "events";
            case "integrate", "highpass", "vdib" -> "naturalized";
            case "target" -> "target";
            default -> "other";
        };
    }

    public long windowStartUs() {
        return windowStartUs;
    }

    /** Window end in µs, or -1 when unknown. */
    public long windowEndUs() {
        return windowEndUs;
    }

    public Long modelVersion() {
        return modelVersion;
    }

    public Long eventCount() {
        return eventCount;
    }

    public long producedAtMillis() {
        return producedAtMillis;
    }

    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    /** {@code receivedAtMillis - producedAtMillis}, never negative (clocks may disagree). */
    public long latencyMillis() {
        return Math.max(0, receivedAtMillis - producedAtMillis);
    }

    /** The PNG bytes (rendered once from the Avro frame when needed). */
    public synchronized byte[] png() {
        if (png == null) {
            png = FramePngEncoder.png(frame, 1);
        }
        return png;
    }

    /** The metadata as one JSON object (what the page receives over server-sent events). */
    public String toJson() {
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"seq\":").append(sequence);
        b.append(",\"stream\":");
        quote(b, stream);
        b.append(",\"kind\":");
        quote(b, kind);
        b.append(",\"group\":");
        quote(b, group());
        b.append(",\"windowStartUs\":").append(windowStartUs);
        b.append(",\"windowEndUs\":").append(windowEndUs < 0 ? "null" : windowEndUs);
        b.append(",\"modelVersion\":").append(modelVersion);
        b.append(",\"eventCount\":").append(eventCount);
        b.append(",\"spikes\":");
        if (spikes == null) {
            b.append("null");
        } else {
            b.append('[');
            for (int i = 0; i < spikes.size(); i++) {
                LayerSpikes l = spikes.get(i);
                b.append(i == 0 ? "{" : ",{").append("\"layer\":");
                quote(b, l.getLayer().toString());
                b.append(",\"rate\":").append(number(l.getRate()));
                b.append(",\"active\":").append(number(l.getActiveRatio()));
                b.append(",\"bursting\":").append(number(l.getBurstingRatio()));
                b.append('}');
            }
            b.append(']');
        }
        b.append(",\"producedAtMs\":").append(producedAtMillis);
        b.append(",\"receivedAtMs\":").append(receivedAtMillis);
        b.append(",\"latencyMs\":").append(latencyMillis());
        return b.append('}').toString();
    }

    private static String number(Float v) {
        return v == null || !Float.isFinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Per-layer spike statistics (hidden layers first, readout last), or null when unknown. */
    public List<LayerSpikes> spikes() {
        return spikes;
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20
                            || c == '<'
                            || c == '>'
                            || c == '&'
                            || c == 0x2028
                            || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
