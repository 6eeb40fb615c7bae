package io.dvsflow.operators.vdib;

import io.dvsflow.models.snapshot.InvalidSnapshotException;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.schemas.avro.ModelSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model an inference or learning operator runs, and the gate every new model passes: a VDIB
 * {@link ModelSnapshot} (single-object encoded bytes, {@link ModelSnapshots#toBytes}) is decoded,
 * validated ({@link ModelSnapshots#validate}: format, known architecture, tensor shapes, finite
 * values) and rebuilt ({@link VdibModel#fromSnapshot}).
 *
 * <p><b>Acceptance policy.</b> A model replaces the running one only if
 *
 * <ol>
 *   <li>it decodes and validates (corrupt bytes, unknown architecture, NaN or infinite weights,
 *       missing or misshapen tensors are rejected),
 *   <li>it is a DVS model ({@code encoding = dvs}), and
 *   <li>it fits the running model: same layer sizes and the same shape-defining hyperparameters
 *       ({@link #SHAPE_KEYS}: input crop and bin width, hidden sizes, N_Y, kernels, tau_E, tau_d,
 *       decoding, decoder kind and width), because the operators' keyed state (membranes, traces,
 *       ring buffers) was built for those shapes; a new architecture needs a new job, and
 *   <li>its version is newer than the running one (older or equal versions are ignored silently,
 *       counted by {@code modelsStale}).
 * </ol>
 *
 * A rejected model is logged at WARN with the reason and counted by the metric {@code
 * modelsRejected}; the operator keeps running on the model it had. The metric {@code modelVersion}
 * (gauge) publishes the version in use, {@code modelsApplied} counts switches.
 */
public final class ModelGate {

    private static final Logger LOG = LoggerFactory.getLogger(ModelGate.class);

    /** Hyperparameters that must be equal for a model to fit the running one. */
    public static final List<String> SHAPE_KEYS =
            List.of(
                    "encoding",
                    "inputWidth",
                    "inputHeight",
                    "inputChannels",
                    "dtUs",
                    "cropX",
                    "cropY",
                    "hidden",
                    "nY",
                    "kernels",
                    "tauE",
                    "decoding",
                    "tauD",
                    "decoder.kind",
                    "decoder.hidden");

    /**
     * A decoded model.
     *
     * @param model the rebuilt model
     * @param version its version
     * @param snapshot the validated snapshot it came from
     * @param bytes the snapshot's single-object encoding
     */
    public record Loaded(VdibModel model, long version, ModelSnapshot snapshot, byte[] bytes) {}

    private final String owner;
    private final boolean inputTraces;
    private final boolean inference;
    private Loaded current;
    private Counter applied;
    private Counter rejected;
    private Counter stale;
    private long rejectedCount;

    /**
     * A gate for an operator.
     *
     * @param owner operator name for log lines
     * @param inputTraces whether models are rebuilt with per-input traces (learning)
     */
    public ModelGate(String owner, boolean inputTraces) {
        this(owner, inputTraces, false);
    }

    /**
     * A gate for an operator.
     *
     * @param owner operator name for log lines
     * @param inputTraces whether models are rebuilt with per-input traces (learning)
     * @param inference whether installed models hold the encoder's inference copy ({@link
     *     VdibModel#forInference()}: faster steps; the operator never updates the weights)
     */
    public ModelGate(String owner, boolean inputTraces, boolean inference) {
        this.owner = owner;
        this.inputTraces = inputTraces;
        this.inference = inference;
    }

    /**
     * Registers {@code modelVersion}, {@code modelsApplied}, {@code modelsRejected} and {@code
     * modelsStale} in {@code group}.
     */
    public void registerMetrics(MetricGroup group) {
        group.gauge("modelVersion", () -> current == null ? -1L : current.version());
        applied = group.counter("modelsApplied");
        rejected = group.counter("modelsRejected");
        stale = group.counter("modelsStale");
    }

    /** The running model, or null before the first one. */
    public Loaded current() {
        return current;
    }

    /** Models rejected so far by this gate (the {@code modelsRejected} metric). */
    public long rejectedCount() {
        return rejectedCount;
    }

    /** Version of the running model, or -1. */
    public long version() {
        return current == null ? -1 : current.version();
    }

    /**
     * Decodes and checks a snapshot without installing it.
     *
     * @throws InvalidSnapshotException naming what is wrong
     */
    public static Loaded decode(byte[] bytes, boolean inputTraces) {
        Objects.requireNonNull(bytes, "bytes");
        ModelSnapshot s = ModelSnapshots.fromBytes(bytes);
        VdibModel m = VdibModel.fromSnapshot(s, inputTraces);
        if (m.input().encoding() != VdibModel.Encoding.DVS) {
            throw new InvalidSnapshotException(
                    "the model codes "
                            + m.input().encoding().id()
                            + " input; the streaming operators need a dvs model");
        }
        return new Loaded(m, s.getVersion(), s, bytes);
    }

    /**
     * Offers a model: installs it when it passes the policy of the class comment.
     *
     * @param origin where it came from, for the log line (e.g. "broadcast", "channel")
     * @return true if the model is now running
     */
    public boolean offer(byte[] bytes, String origin) {
        Loaded next;
        try {
            next = decode(bytes, inputTraces);
            if (current != null) {
                if (next.version() <= current.version()) {
                    if (stale != null) {
                        stale.inc();
                    }
                    return false;
                }
                requireFits(next.snapshot(), current.snapshot());
            }
        } catch (InvalidSnapshotException | IllegalArgumentException | NullPointerException e) {
            rejectedCount++;
            if (rejected != null) {
                rejected.inc();
            }
            LOG.warn(
                    "{}: rejected model from {} ({}); keeping model version {}",
                    owner,
                    origin,
                    e.getMessage(),
                    version());
            return false;
        }
        if (current != null) {
            LOG.info(
                    "{}: model version {} -> {} (from {})",
                    owner,
                    current.version(),
                    next.version(),
                    origin);
        }
        current =
                inference
                        ? new Loaded(
                                next.model().forInference(),
                                next.version(),
                                next.snapshot(),
                                next.bytes())
                        : next;
        if (applied != null) {
            applied.inc();
        }
        return true;
    }

    /** Polls {@code channel} and offers its snapshot when it holds a newer version. */
    public boolean poll(ModelChannel channel) {
        if (channel == null || channel.latestVersion() <= version()) {
            return false;
        }
        byte[] b = channel.latestBytes();
        return b != null && offer(b, "channel");
    }

    /**
     * Fails unless {@code next} has the layer sizes and {@link #SHAPE_KEYS} of {@code running}.
     *
     * @throws InvalidSnapshotException naming the first difference
     */
    public static void requireFits(ModelSnapshot next, ModelSnapshot running) {
        if (!next.getArchitecture()
                .getLayerSizes()
                .equals(running.getArchitecture().getLayerSizes())) {
            throw new InvalidSnapshotException(
                    "layer sizes "
                            + next.getArchitecture().getLayerSizes()
                            + " differ from the running model's "
                            + running.getArchitecture().getLayerSizes());
        }
        Map<String, String> a = next.getArchitecture().getHyperparameters();
        Map<String, String> b = running.getArchitecture().getHyperparameters();
        for (String k : SHAPE_KEYS) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                throw new InvalidSnapshotException(
                        "hyperparameter '"
                                + k
                                + "' = "
                                + a.get(k)
                                + " differs from the running model's "
                                + b.get(k)
                                + " (a new architecture needs a new job)");
            }
        }
    }
}
