package io.dvsflow.connectors.formats.aedat3;

import java.util.Locale;

/**
 * Byte layout constants of AEDAT 3.x (cAER / libcaer) shared by {@link Aedat3Reader} and {@link
 * Aedat3Writer}, and the device-name to sensor-size table.
 *
 * <p>Packet header (28 bytes, little-endian, signed): {@code int16 eventType} @0, {@code int16
 * eventSource} @2, {@code int32 eventSize} @4, {@code int32 eventTSOffset} @8, {@code int32
 * eventTSOverflow} @12, {@code int32 eventCapacity} @16, {@code int32 eventNumber} @20, {@code
 * int32 eventValid} @24.
 *
 * <p>Polarity event (8 bytes): {@code uint32 data} then {@code int32 timestamp} (µs); data bit 0 =
 * valid, bit 1 = polarity (1 = ON), bits 16..2 = y, bits 31..17 = x. Time: {@code t = (overflow <<
 * 31) | ts32} µs.
 */
final class Aedat3Layout {

    /** Bytes in a packet header. */
    static final int PACKET_HEADER_BYTES = 28;

    static final int OFF_TYPE = 0;
    static final int OFF_SOURCE = 2;
    static final int OFF_SIZE = 4;
    static final int OFF_TS_OFFSET = 8;
    static final int OFF_TS_OVERFLOW = 12;
    static final int OFF_CAPACITY = 16;
    static final int OFF_NUMBER = 20;
    static final int OFF_VALID = 24;

    static final int TYPE_SPECIAL = 0;
    static final int TYPE_POLARITY = 1;
    static final int TYPE_FRAME = 2;
    static final int TYPE_IMU6 = 3;
    static final int TYPE_IMU9 = 4;

    /** Size in bytes of polarity and special events. */
    static final int EVENT_BYTES = 8;

    /** Byte offset of the timestamp inside polarity and special events. */
    static final int TS_OFFSET = 4;

    /** Bits of the 32-bit timestamp that carry time; the overflow field counts 2^31 µs epochs. */
    static final int TS_BITS = 31;

    /** Mask of the 15-bit x and y fields. */
    static final int COORD_MASK = 0x7FFF;

    static final int SPECIAL_TIMESTAMP_WRAP = 0;
    static final int SPECIAL_TIMESTAMP_RESET = 1;
    static final int SPECIAL_EXTERNAL_INPUT_RISING = 2;
    static final int SPECIAL_EXTERNAL_INPUT_PULSE = 4;

    /** Header line the writer adds when the device name does not imply the sensor size. */
    static final String SENSOR_SIZE_KEY = "Sensor-Size";

    private Aedat3Layout() {}

    /**
     * Sensor size implied by a cAER device name, as {@code {width, height}}, or {@code {0, 0}} when
     * the name is not known. Matching ignores case and non-alphanumeric characters:
     *
     * <ul>
     *   <li>{@code DVXplorer Lite} (prefix {@code DVXPLORERLITE}, {@code DVXPLORERMINI}): 320x240;
     *   <li>{@code DVXplorer} (prefix {@code DVXPLORER}): 640x480;
     *   <li>{@code DAVIS346} (also {@code DAVIS346B/C}): 346x260;
     *   <li>{@code DAVIS240} (also {@code DAVIS240A/B/C}): 240x180;
     *   <li>{@code DAVIS640}: 640x480; {@code DAVIS128}: 128x128;
     *   <li>{@code DVS128} (DVS Gesture): 128x128.
     * </ul>
     */
    static int[] geometryOf(String device) {
        String d = device.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        if (d.startsWith("DVXPLORERLITE") || d.startsWith("DVXPLORERMINI")) {
            return new int[] {320, 240};
        }
        if (d.startsWith("DVXPLORER")) {
            return new int[] {640, 480};
        }
        if (d.startsWith("DAVIS346")) {
            return new int[] {346, 260};
        }
        if (d.startsWith("DAVIS240")) {
            return new int[] {240, 180};
        }
        if (d.startsWith("DAVIS640")) {
            return new int[] {640, 480};
        }
        if (d.startsWith("DAVIS128") || d.startsWith("DVS128")) {
            return new int[] {128, 128};
        }
        return new int[] {0, 0};
    }

    /** A device name whose implied size is {@code width x height}, or {@code null}. */
    static String deviceFor(int width, int height) {
        if (width == 128 && height == 128) {
            return "DVS128";
        }
        if (width == 240 && height == 180) {
            return "DAVIS240C";
        }
        if (width == 346 && height == 260) {
            return "DAVIS346";
        }
        if (width == 640 && height == 480) {
            return "DVXplorer";
        }
        if (width == 320 && height == 240) {
            return "DVXplorer Lite";
        }
        return null;
    }
}
