package io.dvsflow.jobs.cli;

/**
 * The 26 x 26 crop of scale-4 MNIST-DVS recordings fed to VDIB models. The reference code crops
 * pixels 48..73; dvsflow's emulator centres the 34-px digit box at (64, 64) with a +-3 px path
 * (MnistDvsEmulation), so the digit's strokes (about 24 px inside the box) span roughly 52..76: the
 * crop 51..76 (left/top 51, centre 63.5) holds them, while 48..73 would cut about 3 px of the right
 * and bottom strokes.
 */
final class MnistDvsCrop {
    /** Crop side (pixels). */
    static final int SIDE = 26;

    /** Sensor column / row of the crop's left / top edge. */
    static final int LEFT = 51;

    static final int TOP = 51;

    private MnistDvsCrop() {}
}
