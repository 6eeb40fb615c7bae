package io.dvsflow.operators.binning;

/**
 * What the {@link EventBinner} makes of the events of one window. Channel layouts index by polarity
 * value: channel 0 = OFF ({@code p = 0}), channel 1 = ON ({@code p = 1}).
 */
public enum FrameKind {
    /** 2 channels: number of OFF events (channel 0) and ON events (channel 1) per pixel. */
    COUNTS("counts"),
    /**
     * 2 channels: 1 where a pixel had at least one OFF (channel 0) / ON (channel 1) event, else 0.
     */
    BINARY("binary"),
    /** 1 channel: (number of ON events) - (number of OFF events) per pixel. */
    SIGNED("signed"),
    /**
     * {@code B} channels: the E2VID voxel grid, polarity {@code ±1} spread bilinearly in time over
     * {@code B} bins (see {@link WindowAccumulator#voxelGrid}).
     */
    VOXEL("voxel");

    private final String wireName;

    FrameKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name written into {@code ImageFrame.kind} and the Avro {@code Frame.kind}. */
    public String wireName() {
        return wireName;
    }
}
