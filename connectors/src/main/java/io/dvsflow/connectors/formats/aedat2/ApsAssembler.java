package io.dvsflow.connectors.formats.aedat2;

import io.dvsflow.connectors.formats.ApsFrame;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Assembles the raw APS samples of a jAER DAVIS AEDAT 2.0 recording into frames. A sample (address
 * bit 31 set, bits 11..10 = read cycle 0 or 1) carries one 10-bit ADC value (bits 9..0) of pixel
 * (x, y): read cycle 0 is the pixel's reset read, 1 its signal read (jAER {@code DavisChip}; cycle
 * 2 is unused). The pixel's intensity is the correlated double sample {@code (reset - signal) /
 * 1023}, clamped to [0, 1] (a brighter pixel discharges more during the exposure). A frame is
 * complete, and handed to the listener, once every pixel of the sensor has had a reset read and
 * then a signal read; its exposure runs from the first reset read to the last signal read, its
 * readout from the first to the last sample. Coordinates are the reader's (flips applied as for
 * events).
 */
final class ApsAssembler {

    /** Largest sensor assembled (pixels); larger sizes are not DAVIS sensors. */
    static final int MAX_PIXELS = 1 << 22;

    private static final float MAX_ADC = 1023f;

    private final String streamId;
    private final int width;
    private final int height;
    private final Consumer<ApsFrame> listener;
    private final int[] reset;
    private final int[] signal;
    private final byte[] state; // 0 nothing, 1 reset read, 2 complete
    private int complete;
    private long firstSample = Long.MIN_VALUE;
    private long firstReset = Long.MIN_VALUE;
    private long lastSignal;
    private long lastSample;

    ApsAssembler(String streamId, int width, int height, Consumer<ApsFrame> listener) {
        this.streamId = streamId;
        this.width = width;
        this.height = height;
        this.listener = listener;
        int n = width * height;
        this.reset = new int[n];
        this.signal = new int[n];
        this.state = new byte[n];
    }

    /** One sample; {@code x, y} already mapped to the reader's coordinates. */
    void add(int cycle, int x, int y, int adc, long t) {
        if (x < 0 || y < 0 || x >= width || y >= height || cycle > 1) {
            return;
        }
        int i = y * width + x;
        if (firstSample == Long.MIN_VALUE) {
            firstSample = t;
        }
        lastSample = t;
        if (cycle == 0) {
            if (firstReset == Long.MIN_VALUE) {
                firstReset = t;
            }
            if (state[i] == 2) {
                complete--;
            }
            reset[i] = adc;
            state[i] = 1;
        } else if (state[i] == 1) {
            signal[i] = adc;
            state[i] = 2;
            lastSignal = t;
            if (++complete == state.length) {
                emit();
            }
        }
    }

    private void emit() {
        float[] px = new float[state.length];
        for (int i = 0; i < px.length; i++) {
            float v = (reset[i] - signal[i]) / MAX_ADC;
            px[i] = v < 0f ? 0f : v > 1f ? 1f : v;
        }
        listener.accept(
                new ApsFrame(
                        streamId,
                        firstSample,
                        lastSample,
                        firstReset,
                        lastSignal,
                        width,
                        height,
                        0,
                        0,
                        px));
        Arrays.fill(state, (byte) 0);
        complete = 0;
        firstSample = Long.MIN_VALUE;
        firstReset = Long.MIN_VALUE;
    }
}
