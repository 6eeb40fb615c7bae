package io.dvsflow.operators.filters;

import java.time.Duration;

/** Validation shared by the filter settings records. */
final class FilterSettings {

    /** Largest sensor side accepted (coordinates are 16-bit). */
    static final int MAX_SENSOR_SIDE = 1 << 15;

    private FilterSettings() {}

    static void checkSensor(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_SENSOR_SIDE || height > MAX_SENSOR_SIDE) {
            throw new IllegalArgumentException(
                    "sensor size must be in [1, "
                            + MAX_SENSOR_SIDE
                            + "], was "
                            + width
                            + "x"
                            + height);
        }
    }

    static void checkPositiveMicros(String name, Duration d) {
        if (d.isNegative() || d.isZero() || d.toNanos() % 1_000L != 0) {
            throw new IllegalArgumentException(
                    name + " must be a positive whole number of microseconds, was " + d);
        }
    }
}
