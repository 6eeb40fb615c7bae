package io.dvsflow.operators.types;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * Each stream's own event-time clock, for the keyed windowing operators (binner, classical
 * naturalizers, VDIB encoder). Cameras start their clocks independently, and a file source reads
 * the recordings of a reader one after another, each from its own time zero; so the job's
 * watermark, the minimum over all inputs, can lie far ahead of a stream that is still running.
 * Windows fired by the job's watermark would then drop that stream's events as late (measured: 128
 * recordings on two readers lost 44 % of their events). The operators therefore close a stream's
 * windows by the stream's own progress:
 *
 * <pre>
 * stream watermark w_s = max event time of stream s so far - disorder - 1        (µs)
 * window [a, b) of stream s closes when b - 1 <= w_s, when s ends (an empty packet of s: the
 * file source's end-of-stream marker), at the end of the input (the final watermark
 * Long.MAX_VALUE), or when s has been silent for the idle time (wall clock)
 * </pre>
 *
 * An event whose window has already closed is late. Results depend only on each stream's own packet
 * sequence, never on how streams interleave or on replay speed.
 *
 * <p>State per key, one {@code long[]} ({@link #fresh()}): largest event time, start of the first
 * window still open, the idle timer (processing time), the wall-clock time of the last input.
 */
public final class StreamClock {

    private StreamClock() {}

    /** Event-time timer of the end of the input: the final watermark fires it. */
    public static final long END_OF_INPUT = Long.MAX_VALUE;

    /** Index of the largest event time seen, µs. */
    public static final int MAX_TIME = 0;

    /** Index of the start of the first window that may still take events, µs. */
    public static final int OPEN_FROM = 1;

    /** Index of the registered idle timer (processing time, ms), or {@code Long.MIN_VALUE}. */
    public static final int IDLE_TIMER = 2;

    /** Index of the wall-clock time of the last input, ms. */
    public static final int SEEN = 3;

    /** Length of the state array. */
    public static final int LENGTH = 4;

    /**
     * The clock's settings.
     *
     * @param disorderUs event-time disorder tolerated within one stream, µs (default 5,000)
     * @param idle wall-clock time without input after which a stream's open windows are closed and
     *     its state dropped (default 60 s)
     */
    public record Settings(long disorderUs, Duration idle) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** 5 ms of disorder, 60 s of idle time. */
        public static final Settings DEFAULT = new Settings(5_000L, Duration.ofSeconds(60));

        /** Validates. */
        public Settings {
            Objects.requireNonNull(idle, "idle");
            if (disorderUs < 0 || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException(
                        "need disorderUs >= 0 and a positive idle time, got "
                                + disorderUs
                                + " and "
                                + idle);
            }
        }

        /** The idle time in ms, at least 1. */
        public long idleMillis() {
            return Math.max(1L, idle.toMillis());
        }
    }

    /** Whether {@code packet} is the end-of-stream marker of its stream (an empty packet). */
    public static boolean isEndOfStream(io.dvsflow.schemas.EventPacket packet) {
        return packet.isEmpty();
    }

    /** A clock before the stream's first event. */
    public static long[] fresh() {
        return new long[] {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    }

    /**
     * The stream watermark {@code maxTime - disorderUs - 1}; {@code Long.MIN_VALUE} before the
     * first event.
     */
    public static long watermark(long maxTime, long disorderUs) {
        return maxTime < Long.MIN_VALUE + disorderUs + 1
                ? Long.MIN_VALUE
                : maxTime - disorderUs - 1;
    }

    /**
     * Whether moving the stream watermark from {@code before} to {@code after} may close a window
     * of length {@code dt} (a window end was crossed).
     */
    public static boolean crossesWindowEnd(long before, long after, long dt) {
        return after > before && Math.floorDiv(after + 1, dt) > Math.floorDiv(before + 1, dt);
    }

    /**
     * Records input now and keeps one idle timer registered for the key.
     *
     * @param clock the key's clock
     * @param timers the operator's timer service (current key)
     */
    public static void touch(long[] clock, TimerService timers, Settings settings) {
        long now = timers.currentProcessingTime();
        clock[SEEN] = now;
        if (clock[IDLE_TIMER] == Long.MIN_VALUE) {
            long at = now + settings.idleMillis();
            timers.registerProcessingTimeTimer(at);
            clock[IDLE_TIMER] = at;
        }
    }

    /**
     * Handles the key's idle timer firing at {@code timestamp}: true if the stream has been silent
     * for the idle time (the caller closes its windows and drops the key's state, {@link
     * #release}); otherwise the timer is moved to the new deadline (or ignored if it is not the
     * clock's timer) and false is returned. The caller stores {@code clock} when false.
     */
    public static boolean idleExpired(
            long[] clock, long timestamp, TimerService timers, Settings settings) {
        if (clock == null || clock[IDLE_TIMER] != timestamp) {
            return false;
        }
        long due = clock[SEEN] + settings.idleMillis();
        if (timestamp >= due) {
            clock[IDLE_TIMER] = Long.MIN_VALUE;
            return true;
        }
        timers.registerProcessingTimeTimer(due);
        clock[IDLE_TIMER] = due;
        return false;
    }

    /**
     * Records that the stream's largest event time moved from {@code before} to {@code maxTime}
     * (and that input arrived now, {@link #touch}); the caller stores {@code clock} next.
     *
     * @return the stream watermark up to which windows of length {@code dt} close now, or {@code
     *     Long.MIN_VALUE} when no window end was crossed
     */
    public static long advance(
            long[] clock,
            long before,
            long maxTime,
            long dt,
            TimerService timers,
            Settings settings) {
        clock[MAX_TIME] = maxTime;
        touch(clock, timers, settings);
        long d = settings.disorderUs();
        long limit = watermark(maxTime, d);
        return crossesWindowEnd(watermark(before, d), limit, dt) ? limit : Long.MIN_VALUE;
    }

    /** What a timer of a windowing operator asks for ({@link #classify}). */
    public enum Firing {
        /** Nothing to do but store the clock (its idle timer may have moved). */
        KEEP,
        /** Close the stream: emit what is open, {@link #release} and drop the key's state. */
        CLOSE,
        /**
         * An event-time timer other than the end of the input (e.g. restored from an older job).
         */
        OTHER
    }

    /**
     * Classifies a timer firing at {@code timestamp} in {@code domain}: the end of the input and an
     * expired idle timer close the stream; an idle timer whose deadline moved is re-registered
     * ({@link #idleExpired}).
     */
    public static Firing classify(
            long[] clock,
            long timestamp,
            TimeDomain domain,
            TimerService timers,
            Settings settings) {
        if (domain == TimeDomain.PROCESSING_TIME) {
            return idleExpired(clock, timestamp, timers, settings) ? Firing.CLOSE : Firing.KEEP;
        }
        return timestamp == END_OF_INPUT ? Firing.CLOSE : Firing.OTHER;
    }

    /**
     * Deletes the key's idle timer and its end-of-input timer (before dropping the key's state), so
     * a dropped key leaves no timers behind.
     */
    public static void release(long[] clock, TimerService timers) {
        timers.deleteEventTimeTimer(END_OF_INPUT);
        if (clock != null && clock[IDLE_TIMER] != Long.MIN_VALUE) {
            timers.deleteProcessingTimeTimer(clock[IDLE_TIMER]);
            clock[IDLE_TIMER] = Long.MIN_VALUE;
        }
    }
}
