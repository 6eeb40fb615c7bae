package io.dvsflow.connectors.formats;

/** The address layout of jAER AEDAT 1.0 / 2.0 events. */
public enum Aedat2Layout {
    /** Pick from the {@code # AEChip:} header line; DVS128 when the line is absent. */
    AUTO,
    /** DVS128: bit 0 polarity, bits 7..1 x, bits 14..8 y, bit 15 external event (128x128). */
    DVS128,
    /**
     * DAVIS (240/346/640): bits 30..22 y, 21..12 x, bit 11 polarity, bit 10 external event, bit 31
     * APS/IMU sample.
     */
    DAVIS
}
