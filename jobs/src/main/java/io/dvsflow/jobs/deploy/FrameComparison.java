package io.dvsflow.jobs.deploy;

import io.dvsflow.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares two sets of frames as an exactly-once run must reproduce them: frames are identified by
 * (stream id, window start); a frame present twice in one set is a duplicate, one present only in
 * the expected set is lost, one only in the actual set is extra, and a frame present in both whose
 * window end, size, channels, pixel type, kind, event count or pixel bytes differ is a mismatch.
 * Pixels are compared byte for byte (bit-identical floats).
 *
 * <pre>{@code
 * FrameComparison.Result r = FrameComparison.compare(expected, actual);
 * if (!r.identical()) System.err.println(r.summary());
 * }</pre>
 */
public final class FrameComparison {

    /** Differences listed in {@link Result#examples()}. */
    public static final int MAX_EXAMPLES = 8;

    private FrameComparison() {}

    /**
     * The outcome.
     *
     * @param expectedFrames frames in the expected set (with duplicates)
     * @param actualFrames frames in the actual set (with duplicates)
     * @param expectedDuplicates extra copies of a (stream, window) in the expected set
     * @param actualDuplicates extra copies of a (stream, window) in the actual set
     * @param lost (stream, window) keys expected but absent
     * @param extra (stream, window) keys present but not expected
     * @param mismatched keys present in both whose frames differ
     * @param identicalFrames keys present in both with identical frames
     * @param streams distinct stream ids in the expected set
     * @param expectedDigest SHA-256 of the expected frames in key order (hex)
     * @param actualDigest SHA-256 of the actual frames in key order (hex)
     * @param examples up to 5 differing keys, for the report
     */
    public record Result(
            long expectedFrames,
            long actualFrames,
            long expectedDuplicates,
            long actualDuplicates,
            long lost,
            long extra,
            long mismatched,
            long identicalFrames,
            int streams,
            String expectedDigest,
            String actualDigest,
            List<String> examples) {

        /** True when the sets are equal: nothing lost, extra, duplicated or different. */
        public boolean identical() {
            return expectedDuplicates == 0
                    && actualDuplicates == 0
                    && lost == 0
                    && extra == 0
                    && mismatched == 0
                    && expectedFrames == actualFrames;
        }

        /** A multi-line human-readable summary. */
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "expected %d frames (%d streams, %d duplicates), actual %d frames (%d"
                            + " duplicates)%n"
                            + "identical %d, lost %d, extra %d, pixel/field mismatches %d%n"
                            + "digest expected %s%n"
                            + "digest actual   %s%n"
                            + "%s%s%n",
                    expectedFrames,
                    streams,
                    expectedDuplicates,
                    actualFrames,
                    actualDuplicates,
                    identicalFrames,
                    lost,
                    extra,
                    mismatched,
                    expectedDigest,
                    actualDigest,
                    examples.isEmpty() ? "" : "first differences: " + examples + "\n",
                    identical() ? "IDENTICAL" : "DIFFERENT");
        }
    }

    /**
     * Compares {@code expected} with {@code actual}, listing {@value #MAX_EXAMPLES} differences.
     */
    public static Result compare(Collection<Frame> expected, Collection<Frame> actual) {
        return compare(expected, actual, MAX_EXAMPLES);
    }

    /**
     * Compares {@code expected} with {@code actual}, listing up to {@code maxExamples} differences.
     */
    public static Result compare(
            Collection<Frame> expected, Collection<Frame> actual, int maxExamples) {
        Map<String, List<Frame>> e = byKey(expected);
        Map<String, List<Frame>> a = byKey(actual);
        long lost = 0;
        long extra = 0;
        long mismatched = 0;
        long same = 0;
        List<String> examples = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<Frame>> entry : e.entrySet()) {
            List<Frame> other = a.get(entry.getKey());
            if (other == null) {
                lost++;
                example(missing, maxExamples, "lost " + entry.getKey());
            } else if (sameFrame(entry.getValue().get(0), other.get(0))) {
                same++;
            } else {
                mismatched++;
                example(
                        examples,
                        maxExamples,
                        "differs "
                                + entry.getKey()
                                + " (events "
                                + entry.getValue().get(0).getEventCount()
                                + " vs "
                                + other.get(0).getEventCount()
                                + ")");
            }
        }
        for (String key : a.keySet()) {
            if (!e.containsKey(key)) {
                extra++;
                example(missing, maxExamples, "extra " + key);
            }
        }
        // field differences first: they are the surprising ones
        for (String m : missing) {
            example(examples, maxExamples, m);
        }
        return new Result(
                expected.size(),
                actual.size(),
                expected.size() - e.size(),
                actual.size() - a.size(),
                lost,
                extra,
                mismatched,
                same,
                (int)
                        e.values().stream()
                                .map(l -> l.get(0).getStreamId().toString())
                                .distinct()
                                .count(),
                digest(e),
                digest(a),
                examples);
    }

    /** Whether two frames agree in every field that the job computes, pixels byte for byte. */
    public static boolean sameFrame(Frame x, Frame y) {
        return x.getStreamId().toString().equals(y.getStreamId().toString())
                && x.getWindowStartUs() == y.getWindowStartUs()
                && x.getWindowEndUs() == y.getWindowEndUs()
                && x.getWidth() == y.getWidth()
                && x.getHeight() == y.getHeight()
                && x.getChannels() == y.getChannels()
                && x.getPixelType() == y.getPixelType()
                && x.getKind().toString().equals(y.getKind().toString())
                && x.getEventCount() == y.getEventCount()
                && Objects.equals(x.getModelVersion(), y.getModelVersion())
                && x.getPixels().equals(y.getPixels());
    }

    /** The identity of a frame: {@code streamId@windowStartUs}. */
    public static String key(Frame f) {
        return f.getStreamId() + "@" + f.getWindowStartUs();
    }

    private static Map<String, List<Frame>> byKey(Collection<Frame> frames) {
        Map<String, List<Frame>> out = new TreeMap<>();
        for (Frame f : frames) {
            out.computeIfAbsent(key(f), k -> new ArrayList<>(1)).add(f);
        }
        return out;
    }

    private static void example(List<String> examples, int max, String s) {
        if (examples.size() < max) {
            examples.add(s);
        }
    }

    private static String digest(Map<String, List<Frame>> frames) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (Map.Entry<String, List<Frame>> entry : frames.entrySet()) {
            Frame f = entry.getValue().get(0);
            md.update(entry.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(
                    ByteBuffer.allocate(16)
                            .putLong(f.getWindowEndUs())
                            .putLong(f.getEventCount())
                            .array());
            md.update(f.getPixels().duplicate());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
