package io.dvsflow.models.neuron;

/**
 * The per-stream state of an {@link SnnEncoder}: one {@link LifLayerState} per hidden layer and the
 * {@link SrmReadoutState} (with its random generator). This is what a keyed streaming operator
 * checkpoints; {@link #toBytes()} concatenates the parts' encodings.
 */
public final class EncoderState {

    private static final int MAGIC = 0x4446_4e45; // dvsflow encoder state
    private static final byte VERSION = 1;

    /** Upper bound on one part's encoding when decoding (64 MiB). */
    public static final int MAX_PART_BYTES = 64 << 20;

    private final LifLayerState[] hidden;
    private final SrmReadoutState readout;

    EncoderState(LifLayerState[] hidden, SrmReadoutState readout) {
        this.hidden = hidden;
        this.readout = readout;
    }

    /** Number of hidden layers. */
    public int hiddenLayers() {
        return hidden.length;
    }

    /** The state of hidden layer {@code l}. */
    public LifLayerState hidden(int l) {
        return hidden[l];
    }

    /** The readout state. */
    public SrmReadoutState readout() {
        return readout;
    }

    /** Readout spikes of the last step, ascending; first {@link #readoutSpikeCount()}. */
    public int[] readoutSpikes() {
        return readout.spikeIdx;
    }

    /** Number of readout spikes at the last step. */
    public int readoutSpikeCount() {
        return readout.spikeCount;
    }

    /** Zero state for every layer; the readout generator is set to {@code seed}. */
    public void reset(long seed) {
        for (LifLayerState h : hidden) {
            h.reset();
        }
        readout.reset(seed);
    }

    /** A deep copy. */
    public EncoderState copy() {
        LifLayerState[] h = new LifLayerState[hidden.length];
        for (int l = 0; l < h.length; l++) {
            h[l] = hidden[l].copy();
        }
        return new EncoderState(h, readout.copy());
    }

    /** Compact encoding of all parts. */
    public byte[] toBytes() {
        StateCodec.Writer w = new StateCodec.Writer(1024);
        w.header(MAGIC, VERSION).putInt(hidden.length);
        for (LifLayerState h : hidden) {
            w.putBytes(h.toBytes());
        }
        w.putBytes(readout.toBytes());
        return w.toByteArray();
    }

    /**
     * Decodes {@link #toBytes()} output for {@code encoder}'s shape.
     *
     * @throws IllegalArgumentException on any mismatch or corruption
     */
    public static EncoderState fromBytes(byte[] data, SnnEncoder encoder) {
        StateCodec.Reader r = new StateCodec.Reader(data, "encoder");
        r.header(MAGIC, VERSION);
        int layers = encoder.hiddenLayers();
        r.getInt("hidden layers", layers, layers);
        LifLayerState[] h = new LifLayerState[layers];
        for (int l = 0; l < layers; l++) {
            LifLayer layer = encoder.hidden(l);
            h[l] =
                    LifLayerState.fromBytes(
                            r.getBlob("hidden state", MAX_PART_BYTES),
                            layer.inputs(),
                            layer.size(),
                            encoder.inputTraces());
        }
        SrmReadout ro = encoder.readout();
        SrmReadoutState rs =
                SrmReadoutState.fromBytes(
                        r.getBlob("readout state", MAX_PART_BYTES),
                        ro.inputs(),
                        ro.size(),
                        ro.kernels(),
                        ro.memory());
        r.end();
        return new EncoderState(h, rs);
    }
}
