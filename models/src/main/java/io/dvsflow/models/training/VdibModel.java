package io.dvsflow.models.training;

import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.DecoderSnapshots;
import io.dvsflow.models.decoder.ImageDecoder;
import io.dvsflow.models.neuron.LifLayer;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.Reset;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.neuron.SrmReadout;
import io.dvsflow.models.neuron.Surrogate;
import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelKind;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.snapshot.NamedTensor;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained VDIB hybrid auto-encoder (paper 004, ../shared/docs/learning.md section 1) as one unit:
 * the spiking {@link SnnEncoder}, the ANN {@link ImageDecoder}, how the readout window feeds the
 * decoder ({@link DecoderInputMode}, {@code tau_d}) and how input becomes spikes ({@link
 * InputSettings}). It converts to and from a {@link ModelSnapshot} of kind {@link ModelKind#VDIB}.
 *
 * <h2>Running the model (what a streaming operator does)</h2>
 *
 * <pre>
 * per stream: EncoderState s = model.encoder().newState(seed);  ReadoutWindow w = new ReadoutWindow(nY, tauD)
 * per time bin k (events with t in [t0 + k dt, t0 + (k+1) dt), t0 = the stream's first event time):
 *   active = distinct input indices that had at least one event in the bin (binary bins), where
 *   index = c * H * W + (y - cropY) * W + (x - cropX)   for cropX <= x < cropX + W, cropY <= y < cropY + H,
 *   c = polarity (0 OFF, 1 ON) for DVS input (channels 2), c = 0 for images (channels 1);
 *   events outside the crop are ignored
 *   encoder.step(s, active, count);  w.push(y_t as 0/1 floats of length nY)
 *   image = decoder.forward(w.encode(decoding)), outputWidth x outputHeight pixels in (0, 1), row 0 at the top
 * </pre>
 *
 * The trainer emits one image per sample after its {@code steps} bins (offline); online, an image
 * may be decoded after any bin (the window holds the last {@code tau_d} bins). For static images
 * ({@link Encoding#RATE}, {@link Encoding#TTFS}) the input index is the pixel index {@code y W +
 * x}.
 *
 * <h2>Snapshot layout (format of {@link #toSnapshot})</h2>
 *
 * <ul>
 *   <li>kind {@code vdib}; layer sizes {@code [inputs, hidden..., nY, decoder pixels]}.
 *   <li>hyperparameters (strings): {@code encoding} (rate|ttfs|dvs), {@code inputWidth}, {@code
 *       inputHeight}, {@code inputChannels}, {@code steps} (T), {@code dtUs} (bin width in µs, 0
 *       for static images), {@code cropX}, {@code cropY} (sensor coordinates of the crop's upper
 *       left corner, 0 for images), {@code rateScale}; {@code hidden} (comma-separated sizes),
 *       {@code nY}, {@code kernels} (K), {@code tauE}; {@code decoding} (WINDOW|RATE), {@code
 *       tauD}; {@code beta}, {@code priorQ} (the VDIB loss of training); the hidden neuron model
 *       {@code lif.synDecay, lif.synGain, lif.memDecay, lif.memGain, lif.currentDelay,
 *       lif.refDecay, lif.refGain, lif.threshold, lif.fireOnEqual, lif.reset, lif.lowerBound,
 *       lif.surrogate, lif.surrogateScale} (the {@link LifParameters} fields); the decoder's kind
 *       as {@code decoder.kind} and its own hyperparameters prefixed {@code decoder.}.
 *   <li>tensors: {@code encoder.hidden.<l>.weight [nIn, n]} (input-major), {@code
 *       encoder.hidden.<l>.bias [n]}, {@code encoder.readout.weight [nIn, K, nY]}, {@code
 *       encoder.readout.feedbackWeight [nY]}, {@code encoder.readout.bias [nY]}, {@code
 *       encoder.readout.ffKernels [K, tauE]}, {@code encoder.readout.fbKernel [tauE]}, then the
 *       decoder's tensors with their names prefixed {@code decoder.}.
 *   <li>metadata: free training metadata (seed, command, metrics), not interpreted here.
 * </ul>
 *
 * Loading validates the snapshot (kind, missing hyperparameters, tensor names and shapes) and
 * throws {@link InvalidSnapshotException} naming what is wrong.
 */
public final class VdibModel {

    /** Largest size any integer hyperparameter may take (guards allocation). */
    public static final int MAX_DIMENSION = 1 << 20;

    /** How input becomes spikes. */
    public enum Encoding {
        /**
         * Rate (Bernoulli) coding of a static image, {@link
         * io.dvsflow.models.encoding.RateEncoder}.
         */
        RATE,
        /** Time-to-first-spike coding, {@link io.dvsflow.models.encoding.TtfsEncoder}. */
        TTFS,
        /** Native DVS events in binary bins of {@code dtUs}, two polarity channels. */
        DVS;

        /** Lower-case name used on the command line and in snapshots. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@link #id()} (case-insensitive). */
        public static Encoding of(String id) {
            for (Encoding e : values()) {
                if (e.id().equalsIgnoreCase(id)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(
                    "unknown encoding '" + id + "' (known: rate, ttfs, dvs)");
        }
    }

    /**
     * The input side of the model.
     *
     * @param encoding spike coding
     * @param width input width W (crop width for DVS), pixels
     * @param height input height H, pixels
     * @param channels 2 for DVS (OFF, ON), 1 for images
     * @param steps time bins per sample T (e.g. 30 for MNIST, 200 for 2 s of MNIST-DVS at 10 ms)
     * @param dtUs bin width in µs for DVS input (0 for static images)
     * @param cropX sensor x of the crop's left column (DVS; 0 for images)
     * @param cropY sensor y of the crop's top row (DVS; 0 for images)
     * @param rateScale rate-coding scale s (spike probability min(1, s x) per step; 1 by default)
     */
    public record InputSettings(
            Encoding encoding,
            int width,
            int height,
            int channels,
            int steps,
            long dtUs,
            int cropX,
            int cropY,
            float rateScale) {
        /** Validates ranges. */
        public InputSettings {
            if (encoding == null
                    || width < 1
                    || height < 1
                    || channels < 1
                    || steps < 1
                    || dtUs < 0
                    || cropX < 0
                    || cropY < 0
                    || !(rateScale > 0)) {
                throw new IllegalArgumentException(
                        "invalid input settings: need positive sizes and steps, dtUs >= 0,"
                                + " crop >= 0, rateScale > 0");
            }
            if (encoding == Encoding.DVS && (channels != 2 || dtUs < 1)) {
                throw new IllegalArgumentException("DVS input needs 2 channels and dtUs >= 1");
            }
        }

        /** Static images of {@code width x height} pixels coded over {@code steps} steps. */
        public static InputSettings image(Encoding encoding, int width, int height, int steps) {
            return new InputSettings(encoding, width, height, 1, steps, 0, 0, 0, 1f);
        }

        /** DVS events cropped to {@code width x height} at {@code (cropX, cropY)}. */
        public static InputSettings dvs(
                int width, int height, int cropX, int cropY, int steps, long dtUs) {
            return new InputSettings(Encoding.DVS, width, height, 2, steps, dtUs, cropX, cropY, 1f);
        }

        /** Inputs of the first hidden layer: {@code channels x height x width}. */
        public int inputSize() {
            return channels * width * height;
        }
    }

    private final SnnEncoder encoder;
    private final ImageDecoder decoder;
    private final DecoderInputMode decoding;
    private final int tauD;
    private final InputSettings input;
    private final double beta;
    private final double priorQ;

    /**
     * Bundles the parts.
     *
     * @param encoder the spiking encoder ({@code input.inputSize()} inputs)
     * @param decoder the decoder ({@code decoding.inputSize(nY, tauD)} inputs)
     * @param decoding how the readout window becomes the decoder input
     * @param tauD readout window length, steps
     * @param input input settings
     * @param beta KL weight of the VDIB loss used in training
     * @param priorQ Bernoulli prior rate q used in training
     */
    public VdibModel(
            SnnEncoder encoder,
            ImageDecoder decoder,
            DecoderInputMode decoding,
            int tauD,
            InputSettings input,
            double beta,
            double priorQ) {
        if (encoder.inputs() != input.inputSize()) {
            throw new IllegalArgumentException(
                    "encoder has "
                            + encoder.inputs()
                            + " inputs but the input settings give "
                            + input.inputSize());
        }
        if (tauD < 1) {
            throw new IllegalArgumentException("tauD must be positive, was " + tauD);
        }
        int expected = decoding.inputSize(encoder.outputs(), tauD);
        if (decoder.inputSize() != expected) {
            throw new IllegalArgumentException(
                    "decoder has "
                            + decoder.inputSize()
                            + " inputs but "
                            + decoding
                            + " decoding of "
                            + encoder.outputs()
                            + " x "
                            + tauD
                            + " gives "
                            + expected);
        }
        this.encoder = encoder;
        this.decoder = decoder;
        this.decoding = decoding;
        this.tauD = tauD;
        this.input = input;
        this.beta = beta;
        this.priorQ = priorQ;
    }

    /**
     * This model with its encoder's {@link SnnEncoder#forInference() inference copy} (same decoder
     * instance): faster steps, no learning.
     */
    public VdibModel forInference() {
        SnnEncoder e = encoder.forInference();
        return e == encoder ? this : new VdibModel(e, decoder, decoding, tauD, input, beta, priorQ);
    }

    /** The spiking encoder (parameters live). */
    public SnnEncoder encoder() {
        return encoder;
    }

    /** The decoder (parameters live). */
    public ImageDecoder decoder() {
        return decoder;
    }

    /** How the readout window becomes the decoder input. */
    public DecoderInputMode decoding() {
        return decoding;
    }

    /** Readout window length tau_d, steps. */
    public int tauD() {
        return tauD;
    }

    /** Readout neurons N_Y. */
    public int nY() {
        return encoder.outputs();
    }

    /** The input settings. */
    public InputSettings input() {
        return input;
    }

    /** Input width W (crop width for DVS). */
    public int inputWidth() {
        return input.width();
    }

    /** Input height H. */
    public int inputHeight() {
        return input.height();
    }

    /** Time bins per sample T. */
    public int steps() {
        return input.steps();
    }

    /** Bin width in µs (DVS input; 0 for images). */
    public long dtUs() {
        return input.dtUs();
    }

    /** Sensor x of the crop's left column. */
    public int cropX() {
        return input.cropX();
    }

    /** Sensor y of the crop's top row. */
    public int cropY() {
        return input.cropY();
    }

    /** KL weight beta of training. */
    public double beta() {
        return beta;
    }

    /** Prior rate q of training. */
    public double priorQ() {
        return priorQ;
    }

    /**
     * The snapshot of the current parameters (layout in the class comment).
     *
     * @param version model version stamped on frames it produces
     * @param metadata training metadata (copied)
     */
    public ModelSnapshot toSnapshot(long version, Map<String, String> metadata) {
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("encoding", input.encoding().id());
        hp.put("inputWidth", Integer.toString(input.width()));
        hp.put("inputHeight", Integer.toString(input.height()));
        hp.put("inputChannels", Integer.toString(input.channels()));
        hp.put("steps", Integer.toString(input.steps()));
        hp.put("dtUs", Long.toString(input.dtUs()));
        hp.put("cropX", Integer.toString(input.cropX()));
        hp.put("cropY", Integer.toString(input.cropY()));
        hp.put("rateScale", Float.toString(input.rateScale()));
        StringBuilder hidden = new StringBuilder();
        for (int l = 0; l < encoder.hiddenLayers(); l++) {
            hidden.append(l == 0 ? "" : ",").append(encoder.hidden(l).size());
        }
        hp.put("hidden", hidden.toString());
        SrmReadout ro = encoder.readout();
        hp.put("nY", Integer.toString(ro.size()));
        hp.put("kernels", Integer.toString(ro.kernels()));
        hp.put("tauE", Integer.toString(ro.memory()));
        hp.put("decoding", decoding.name());
        hp.put("tauD", Integer.toString(tauD));
        hp.put("beta", Double.toString(beta));
        hp.put("priorQ", Double.toString(priorQ));
        LifParameters p = encoder.hidden(0).parameters();
        hp.put("lif.synDecay", Float.toString(p.synDecay()));
        hp.put("lif.synGain", Float.toString(p.synGain()));
        hp.put("lif.memDecay", Float.toString(p.memDecay()));
        hp.put("lif.memGain", Float.toString(p.memGain()));
        hp.put("lif.currentDelay", Boolean.toString(p.currentDelay()));
        hp.put("lif.refDecay", Float.toString(p.refDecay()));
        hp.put("lif.refGain", Float.toString(p.refGain()));
        hp.put("lif.threshold", Float.toString(p.threshold()));
        hp.put("lif.fireOnEqual", Boolean.toString(p.fireOnEqual()));
        hp.put("lif.reset", p.reset().name());
        hp.put("lif.lowerBound", Float.toString(p.lowerBound()));
        hp.put("lif.surrogate", p.surrogate().name());
        hp.put("lif.surrogateScale", Float.toString(p.surrogateScale()));
        hp.put("decoder.kind", decoder.kind().id());
        for (Map.Entry<String, String> e : decoder.hyperparameters().entrySet()) {
            hp.put("decoder." + e.getKey(), e.getValue());
        }
        List<Integer> sizes = new ArrayList<>();
        sizes.add(encoder.inputs());
        for (int l = 0; l < encoder.hiddenLayers(); l++) {
            sizes.add(encoder.hidden(l).size());
        }
        sizes.add(ro.size());
        sizes.add(decoder.outputSize());
        return ModelSnapshots.create(
                ModelKind.VDIB, sizes, hp, tensors(), version, new LinkedHashMap<>(metadata));
    }

    /** All tensors in snapshot order (live arrays, named as in the class comment). */
    public List<NamedTensor> tensors() {
        List<NamedTensor> t = new ArrayList<>();
        for (int l = 0; l < encoder.hiddenLayers(); l++) {
            LifLayer h = encoder.hidden(l);
            t.add(
                    new NamedTensor(
                            "encoder.hidden." + l + ".weight",
                            new int[] {h.inputs(), h.size()},
                            h.weights()));
            t.add(new NamedTensor("encoder.hidden." + l + ".bias", new int[] {h.size()}, h.bias()));
        }
        SrmReadout ro = encoder.readout();
        int nY = ro.size();
        t.add(
                new NamedTensor(
                        "encoder.readout.weight",
                        new int[] {ro.inputs(), ro.kernels(), nY},
                        ro.weights()));
        t.add(
                new NamedTensor(
                        "encoder.readout.feedbackWeight", new int[] {nY}, ro.feedbackWeights()));
        t.add(new NamedTensor("encoder.readout.bias", new int[] {nY}, ro.bias()));
        t.add(
                new NamedTensor(
                        "encoder.readout.ffKernels",
                        new int[] {ro.kernels(), ro.memory()},
                        ro.feedForwardKernels()));
        t.add(
                new NamedTensor(
                        "encoder.readout.fbKernel", new int[] {ro.memory()}, ro.feedbackKernel()));
        for (NamedTensor d : decoder.parameters()) {
            t.add(new NamedTensor("decoder." + d.name(), d.shape(), d.data()));
        }
        return t;
    }

    /**
     * Rebuilds a model for inference (the encoder keeps no input traces).
     *
     * @throws InvalidSnapshotException if the snapshot is not a valid VDIB model
     */
    public static VdibModel fromSnapshot(ModelSnapshot s) {
        return fromSnapshot(s, false);
    }

    /**
     * Rebuilds a model; {@code inputTraces} keeps per-input traces in encoder states (needed to
     * continue e-prop training).
     *
     * @throws InvalidSnapshotException if the snapshot is not a valid VDIB model
     */
    public static VdibModel fromSnapshot(ModelSnapshot s, boolean inputTraces) {
        ModelSnapshots.validate(s);
        ModelSnapshots.requireKind(s, ModelKind.VDIB);
        Map<String, String> hp = s.getArchitecture().getHyperparameters();
        Map<String, NamedTensor> tensors = ModelSnapshots.tensors(s);
        try {
            Encoding encoding = Encoding.of(str(hp, "encoding"));
            InputSettings in =
                    new InputSettings(
                            encoding,
                            integer(hp, "inputWidth"),
                            integer(hp, "inputHeight"),
                            integer(hp, "inputChannels"),
                            integer(hp, "steps"),
                            Long.parseLong(str(hp, "dtUs")),
                            Integer.parseInt(str(hp, "cropX")),
                            Integer.parseInt(str(hp, "cropY")),
                            Float.parseFloat(str(hp, "rateScale")));
            String[] hiddenText = str(hp, "hidden").split(",");
            int nY = integer(hp, "nY");
            int k = integer(hp, "kernels");
            int tauE = integer(hp, "tauE");
            DecoderInputMode decoding = DecoderInputMode.valueOf(str(hp, "decoding"));
            int tauD = integer(hp, "tauD");
            LifParameters lif =
                    new LifParameters(
                            Float.parseFloat(str(hp, "lif.synDecay")),
                            Float.parseFloat(str(hp, "lif.synGain")),
                            Float.parseFloat(str(hp, "lif.memDecay")),
                            Float.parseFloat(str(hp, "lif.memGain")),
                            Boolean.parseBoolean(str(hp, "lif.currentDelay")),
                            Float.parseFloat(str(hp, "lif.refDecay")),
                            Float.parseFloat(str(hp, "lif.refGain")),
                            Float.parseFloat(str(hp, "lif.threshold")),
                            Boolean.parseBoolean(str(hp, "lif.fireOnEqual")),
                            Reset.valueOf(str(hp, "lif.reset")),
                            Float.parseFloat(str(hp, "lif.lowerBound")),
                            Surrogate.valueOf(str(hp, "lif.surrogate")),
                            Float.parseFloat(str(hp, "lif.surrogateScale")));
            LifLayer[] layers = new LifLayer[hiddenText.length];
            int fanIn = in.inputSize();
            for (int l = 0; l < layers.length; l++) {
                int n = Integer.parseInt(hiddenText[l].trim());
                check(n, "hidden");
                layers[l] =
                        new LifLayer(
                                lif,
                                fanIn,
                                n,
                                tensor(tensors, "encoder.hidden." + l + ".weight", fanIn, n),
                                tensor(tensors, "encoder.hidden." + l + ".bias", n));
                fanIn = n;
            }
            SrmReadout ro =
                    new SrmReadout(
                            fanIn,
                            nY,
                            k,
                            tauE,
                            tensor(tensors, "encoder.readout.ffKernels", k, tauE),
                            tensor(tensors, "encoder.readout.fbKernel", tauE),
                            tensor(tensors, "encoder.readout.weight", fanIn, k, nY),
                            tensor(tensors, "encoder.readout.feedbackWeight", nY),
                            tensor(tensors, "encoder.readout.bias", nY));
            SnnEncoder encoder = new SnnEncoder(layers, ro, inputTraces);
            Map<String, String> dhp = new LinkedHashMap<>();
            List<NamedTensor> dt = new ArrayList<>();
            for (Map.Entry<String, String> e : hp.entrySet()) {
                if (e.getKey().startsWith("decoder.") && !e.getKey().equals("decoder.kind")) {
                    dhp.put(e.getKey().substring("decoder.".length()), e.getValue());
                }
            }
            for (Map.Entry<String, NamedTensor> e : tensors.entrySet()) {
                if (e.getKey().startsWith("decoder.")) {
                    NamedTensor v = e.getValue();
                    dt.add(
                            new NamedTensor(
                                    e.getKey().substring("decoder.".length()),
                                    v.shape(),
                                    v.data()));
                } else if (!e.getKey().startsWith("encoder.")) {
                    throw new InvalidSnapshotException(
                            "snapshot has tensor '" + e.getKey() + "' the model does not know");
                }
            }
            ModelKind dk = ModelKind.fromId(str(hp, "decoder.kind"));
            ImageDecoder decoder =
                    DecoderSnapshots.fromSnapshot(
                            ModelSnapshots.create(dk, List.of(), dhp, dt, 0L, Map.of()));
            return new VdibModel(
                    encoder,
                    decoder,
                    decoding,
                    tauD,
                    in,
                    Double.parseDouble(str(hp, "beta")),
                    Double.parseDouble(str(hp, "priorQ")));
        } catch (InvalidSnapshotException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSnapshotException("invalid VDIB snapshot: " + e.getMessage(), e);
        }
    }

    private static String str(Map<String, String> hp, String key) {
        String v = hp.get(key);
        if (v == null) {
            throw new InvalidSnapshotException("VDIB hyperparameter '" + key + "' is missing");
        }
        return v;
    }

    private static int integer(Map<String, String> hp, String key) {
        int n;
        try {
            n = Integer.parseInt(str(hp, key));
        } catch (NumberFormatException e) {
            throw new InvalidSnapshotException(
                    "VDIB hyperparameter '" + key + "' is not an integer: '" + hp.get(key) + "'");
        }
        check(n, key);
        return n;
    }

    private static void check(int n, String key) {
        if (n < 1 || n > MAX_DIMENSION) {
            throw new InvalidSnapshotException(
                    "VDIB hyperparameter '"
                            + key
                            + "' = "
                            + n
                            + " is outside [1, "
                            + MAX_DIMENSION
                            + "]");
        }
    }

    private static float[] tensor(Map<String, NamedTensor> tensors, String name, int... shape) {
        NamedTensor t = tensors.get(name);
        if (t == null) {
            throw new InvalidSnapshotException("snapshot lacks tensor '" + name + "'");
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new InvalidSnapshotException(
                    "tensor '"
                            + name
                            + "' has shape "
                            + java.util.Arrays.toString(t.shape())
                            + " in the snapshot but the model expects "
                            + java.util.Arrays.toString(shape));
        }
        return t.data();
    }
}
