package io.dvsflow.jobs;

import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.jobs.cli.DurationConverter;
import io.dvsflow.jobs.cli.NaturalizerOptions;
import io.dvsflow.jobs.cli.OnlineEstimatorMixin;
import io.dvsflow.jobs.kafka.KafkaConnectors;
import io.dvsflow.jobs.kafka.ModelTopic;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.VdibModels;
import io.dvsflow.jobs.naturalize.VdibRun;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.ImageFrameAvroConverter;
import io.dvsflow.operators.types.ImageFrameTypeInfo;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Entry point of the naturalize job on a Flink cluster ({@code flink run}, the Flink Kubernetes
 * Operator's {@code job.entryClass}, or the REST API's {@code entry-class}): event packets from a
 * Kafka topic, the {@link NaturalizeJob} graph, Avro frames to a Kafka topic exactly-once.
 *
 * <pre>
 * flink run -d -p 2 jobs/target/dvsflow-job.jar \
 *     --bootstrap 127.0.0.1:9092 --input-topic dvs-events --output-topic dvs-frames
 * </pre>
 *
 * <p>Unlike {@code dvsflow naturalize}, which runs in its own JVM and sets everything itself, this
 * entry point leaves the cluster's configuration in charge: state backend, checkpoint interval and
 * storage, restart strategy and parallelism come from the Flink configuration ({@code config.yaml},
 * {@code -D} options, the FlinkDeployment's {@code flinkConfiguration}). It only disables generic
 * (Kryo) types and refuses exactly-once without checkpointing (transactions commit on checkpoints,
 * so frames would never become visible).
 *
 * <p>Operator uids ({@code events-source}, {@code count-events}, {@code naturalizer}, {@code
 * to-avro-frame}, {@code kafka-frames}) are stable, so a savepoint restores into a later version of
 * the job and at another parallelism (keyed state is redistributed by key group).
 *
 * <p>{@code main} never calls {@link System#exit}: in application mode it runs inside the
 * JobManager. Bad arguments throw an {@link IllegalArgumentException} with a one-sentence message.
 */
@Command(
        name = "naturalize-cluster-job",
        mixinStandardHelpOptions = true,
        description = {
            "The naturalize job for a Flink cluster: Kafka packets in, Avro frames out"
                    + " (exactly-once by default). Checkpointing, state backend and restart"
                    + " strategy come from the Flink configuration.",
        },
        footer = {
            "",
            "Examples:",
            "  flink run -d -p 2 dvsflow-job.jar --bootstrap 127.0.0.1:9092",
            "  flink run -d -s /savepoints/sp-1 -p 3 dvsflow-job.jar --bootstrap kafka:9092 \\",
            "      --input-topic dvs-events --output-topic dvs-frames --max-disorder 1s",
            "  flink run -d -p 2 dvsflow-job.jar --bootstrap kafka:9092 --method vdib \\",
            "      --model model.avro --model-topic dvs-models --learn --reference-topic dvs-targets",
        })
public final class NaturalizeClusterJob {

    private static final Logger LOG = LoggerFactory.getLogger(NaturalizeClusterJob.class);

    /** Default topic of event packets. */
    public static final String DEFAULT_INPUT_TOPIC = "dvs-events";

    /** Default topic of frames. */
    public static final String DEFAULT_OUTPUT_TOPIC = "dvs-frames";

    /** Suffix of the default dead-letter topic: {@code INPUT_TOPIC + ".dead"}. */
    public static final String DEAD_LETTER_SUFFIX = ".dead";

    /** Default consumer group. */
    public static final String DEFAULT_GROUP_ID = "dvsflow-naturalize";

    /** Prefix of the default transactional id prefix: {@code this + OUTPUT_TOPIC}. */
    public static final String TRANSACTIONAL_ID_PREFIX_BASE = "dvsflow-naturalize-";

    /** Default sensor size (MNIST-DVS, DVS128). */
    public static final String DEFAULT_SENSOR = "128x128";

    /**
     * Default event-time disorder tolerated between packets of one partition (500 ms): several
     * cameras share a partition, and a camera whose packets reach the broker later than another's
     * by less than this loses nothing to lateness.
     */
    public static final String DEFAULT_MAX_DISORDER = "500ms";

    @Option(
            names = "--bootstrap",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
            names = "--input-topic",
            defaultValue = DEFAULT_INPUT_TOPIC,
            paramLabel = "TOPIC",
            description = "Topic of event packets (default: ${DEFAULT-VALUE}).")
    String inputTopic;

    @Option(
            names = "--output-topic",
            defaultValue = DEFAULT_OUTPUT_TOPIC,
            paramLabel = "TOPIC",
            description = "Topic of Avro frames, keyed by stream id (default: ${DEFAULT-VALUE}).")
    String outputTopic;

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "TOPIC",
            description = "Topic of undecodable input records (default: INPUT-TOPIC.dead).")
    String deadLetterTopic;

    @Option(
            names = "--group-id",
            defaultValue = DEFAULT_GROUP_ID,
            paramLabel = "ID",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "P",
            description =
                    "Transactional id prefix of the exactly-once sink, unique per job"
                            + " (default: dvsflow-naturalize-OUTPUT-TOPIC).")
    String transactionalIdPrefix;

    @Option(
            names = "--delivery",
            defaultValue = "exactly-once",
            paramLabel = "G",
            description = "exactly-once or at-least-once (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client properties (security, SASL, TLS) read where main() runs.")
    Path kafkaProperties;

    @Option(
            names = "--bounded",
            description = "Stop at the offsets that are the latest when the job starts.")
    boolean bounded;

    @Option(
            names = "--checkpoint-interval",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Override execution.checkpointing.interval of the Flink configuration"
                            + " (default: the configuration's).")
    Duration checkpointInterval;

    @Option(
            names = "--sensor",
            defaultValue = DEFAULT_SENSOR,
            paramLabel = "WxH",
            description = "Sensor size (default: ${DEFAULT-VALUE}).")
    String sensor;

    @Mixin NaturalizerOptions naturalizer = new NaturalizerOptions();

    @Option(
            names = "--max-disorder",
            defaultValue = DEFAULT_MAX_DISORDER,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Event-time disorder tolerated within a partition (default: ${DEFAULT-VALUE}).")
    Duration maxDisorder;

    @Option(
            names = "--idleness",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Wall-clock time after which a silent partition stops holding back event time"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration idleness;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "--method vdib: start model snapshot (.avro), read on the client; optional when"
                            + " the --model-topic holds one (the newer version is used).")
    Path model;

    @Option(
            names = "--model-topic",
            paramLabel = "TOPIC",
            description =
                    "--method vdib (required): compacted topic of model versions, created if"
                            + " absent; the operators on every TaskManager apply the versions that"
                            + " arrive, and with --learn the learner writes its versions to it.")
    String modelTopic;

    @Option(
            names = "--learn",
            description = "--method vdib: keep learning online from --reference-topic images.")
    boolean learn;

    @Option(
            names = "--reference-topic",
            paramLabel = "TOPIC",
            description =
                    "--learn: topic of reference images (Avro Frame keyed by stream id);"
                            + " malformed records go to TOPIC.dead.")
    String referenceTopic;

    @Option(
            names = "--learning-rate",
            defaultValue = "1e-3",
            paramLabel = "LR",
            description = "--learn: Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Mixin OnlineEstimatorMixin estimator = new OnlineEstimatorMixin();

    @Option(
            names = "--seed",
            defaultValue = "1",
            paramLabel = "S",
            description =
                    "--method vdib: seed of the stochastic readout neurons (default:"
                            + " ${DEFAULT-VALUE}).")
    long seed;

    /** The model the job starts from (resolved against the model topic in {@link #build}). */
    private byte[] startModel;

    @Option(
            names = "--job-name",
            paramLabel = "NAME",
            description = "Job name (default: dvsflow naturalize INPUT -> OUTPUT).")
    String jobName;

    /**
     * Parses the arguments.
     *
     * @return the job, or {@code null} when help or the version was requested (and printed)
     * @throws IllegalArgumentException on bad arguments
     */
    public static NaturalizeClusterJob parse(String... args) {
        NaturalizeClusterJob job = new NaturalizeClusterJob();
        CommandLine cl = new CommandLine(job);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(cl.getOut());
            return null;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(cl.getOut());
            return null;
        }
        job.validate();
        return job;
    }

    private void validate() {
        String d = delivery.toLowerCase(Locale.ROOT);
        if (!d.equals("exactly-once") && !d.equals("at-least-once")) {
            throw new IllegalArgumentException(
                    "--delivery must be exactly-once or at-least-once, not " + delivery);
        }
        sensorSize();
        settings();
    }

    /** Entry point for {@code flink run}. */
    public static void main(String[] args) throws Exception {
        NaturalizeClusterJob job = parse(args);
        if (job == null) {
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.build(env);
        LOG.info(
                "submitting '{}': {} -> {} ({}, group {})",
                job.jobName(),
                job.inputTopic,
                job.outputTopic,
                job.exactlyOnce() ? "exactly-once" : "at-least-once",
                job.groupId);
        env.execute(job.jobName());
    }

    /**
     * Adds the job's graph to {@code env}: Kafka source, {@link NaturalizeJob}, Kafka sink.
     *
     * @throws IllegalStateException with exactly-once delivery when checkpointing is disabled
     */
    public void build(StreamExecutionEnvironment env) throws java.io.IOException {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        if (checkpointInterval != null) {
            env.enableCheckpointing(checkpointInterval.toMillis());
        }
        if (exactlyOnce() && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalStateException(
                    "exactly-once frames need checkpointing: set execution.checkpointing.interval"
                            + " in the Flink configuration or give --checkpoint-interval");
        }
        Properties kafka = KafkaClientProperties.load(kafkaProperties, bootstrap);
        KafkaConnectors.PacketSourceBuilder source =
                KafkaConnectors.packetSource(kafka, inputTopic)
                        .groupId(groupId)
                        .deadLetterTopic(deadLetterTopic());
        if (bounded) {
            source.bounded(OffsetsInitializer.latest());
        }
        NaturalizeJob.Graph graph;
        if (naturalizer.method() == NaturalizeMethod.VDIB) {
            graph = buildVdib(env, kafka, source);
        } else {
            graph = NaturalizeJob.build(env, source.build(), settings());
        }
        KafkaConnectors.SinkBuilder<Frame> sink = KafkaConnectors.frameSink(kafka, outputTopic);
        if (exactlyOnce()) {
            sink.exactlyOnce(transactionalIdPrefix());
        }
        graph.frames().sinkTo(sink.build()).name("kafka-frames").uid("kafka-frames");
    }

    /**
     * The VDIB graph: packets and reference images from Kafka, the model topic as the broadcast
     * model stream, learned versions back to the model topic.
     */
    private NaturalizeJob.Graph buildVdib(
            StreamExecutionEnvironment env,
            Properties kafka,
            KafkaConnectors.PacketSourceBuilder source)
            throws java.io.IOException {
        try {
            ModelTopic.ensureCompacted(kafka, modelTopic);
        } catch (Exception e) {
            throw new java.io.IOException(
                    "cannot create or check the model topic " + modelTopic + ": " + e.getMessage(),
                    e);
        }
        byte[] fromTopic = ModelTopic.latest(kafka, modelTopic, Duration.ofSeconds(30));
        byte[] file = model == null ? null : VdibModels.load(model);
        if (fromTopic == null && file == null) {
            throw new IllegalArgumentException(
                    "the model topic " + modelTopic + " holds no valid model: give --model FILE");
        }
        startModel =
                fromTopic != null
                                && (file == null
                                        || ModelGate.decode(fromTopic, false).version()
                                                > ModelGate.decode(file, false).version())
                        ? fromTopic
                        : file;
        NaturalizeSettings settings = settings();
        DataStream<EventPacket> packets =
                env.fromSource(
                                source.build(),
                                PacketWatermarks.boundedDisorder(
                                        settings.maxDisorder(), settings.idleness()),
                                "events",
                                EventPacketTypeInfo.INSTANCE)
                        .uid("events-source");
        DataStream<byte[]> models =
                env.fromSource(
                                ModelTopic.source(kafka, modelTopic, bounded),
                                WatermarkStrategy.noWatermarks(),
                                "model-topic")
                        .setParallelism(1)
                        .uid("model-topic");
        DataStream<ImageFrame> references = null;
        if (learn) {
            references =
                    env.fromSource(
                                    ModelTopic.referenceSource(
                                            kafka,
                                            referenceTopic,
                                            referenceTopic + DEAD_LETTER_SUFFIX,
                                            bounded),
                                    WatermarkStrategy.noWatermarks(),
                                    "reference-topic")
                            .uid("reference-topic")
                            .map(ImageFrameAvroConverter::fromAvro, ImageFrameTypeInfo.INSTANCE)
                            .name("references")
                            .uid("reference-frames");
        }
        NaturalizeJob.Graph graph = NaturalizeJob.build(packets, settings, references, models);
        if (learn && graph.models() != null) {
            graph.models()
                    .sinkTo(ModelTopic.sink(kafka, modelTopic))
                    .setParallelism(1)
                    .name("model-topic-out")
                    .uid("model-topic-out");
        }
        return graph;
    }

    /** The job settings the options describe. */
    public NaturalizeSettings settings() {
        int[] size = sensorSize();
        NaturalizeSettings s = naturalizer.settings(size[0], size[1]);
        if (naturalizer.method() == NaturalizeMethod.VDIB) {
            if (modelTopic == null) {
                throw new IllegalArgumentException(
                        "--method vdib on a cluster needs --model-topic TOPIC (model versions"
                                + " reach every TaskManager through it)");
            }
            if (learn && referenceTopic == null) {
                throw new IllegalArgumentException("--learn needs --reference-topic TOPIC");
            }
            byte[] m = startModel;
            if (m == null) {
                if (model == null) {
                    // resolved from the model topic in build(); validate the rest meanwhile
                    m = VdibModels.untrainedBytes(seed);
                } else {
                    try {
                        m = VdibModels.load(model);
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException(
                                "cannot read the model " + model + ": " + e.getMessage(), e);
                    }
                }
            }
            s =
                    s.withVdib(
                            VdibRun.options(
                                    m,
                                    learn,
                                    learningRate,
                                    1,
                                    1,
                                    seed,
                                    null,
                                    estimator.estimator()));
        } else if (model != null || modelTopic != null || learn) {
            throw new IllegalArgumentException(
                    "--model, --model-topic and --learn need --method vdib");
        }
        if (maxDisorder.isNegative() || idleness.isNegative() || idleness.isZero()) {
            throw new IllegalArgumentException("--max-disorder must be >= 0 and --idleness > 0");
        }
        return new NaturalizeSettings(
                s.method(),
                s.window(),
                s.sensorWidth(),
                s.sensorHeight(),
                s.contrast(),
                s.cutoffRadPerSecond(),
                s.denoise(),
                s.denoiseWindow(),
                maxDisorder,
                idleness,
                s.vdib());
    }

    /** Whether frames are written in Kafka transactions. */
    public boolean exactlyOnce() {
        return delivery.equalsIgnoreCase("exactly-once");
    }

    /** The input topic. */
    public String inputTopic() {
        return inputTopic;
    }

    /** The output topic. */
    public String outputTopic() {
        return outputTopic;
    }

    /** The consumer group. */
    public String groupId() {
        return groupId;
    }

    /** The dead-letter topic ({@code INPUT_TOPIC.dead} unless given). */
    public String deadLetterTopic() {
        return deadLetterTopic != null ? deadLetterTopic : inputTopic + DEAD_LETTER_SUFFIX;
    }

    /** The transactional id prefix ({@code dvsflow-naturalize-OUTPUT_TOPIC} unless given). */
    public String transactionalIdPrefix() {
        return transactionalIdPrefix != null
                ? transactionalIdPrefix
                : TRANSACTIONAL_ID_PREFIX_BASE + outputTopic;
    }

    /** The job name. */
    public String jobName() {
        return jobName != null
                ? jobName
                : "dvsflow naturalize " + inputTopic + " -> " + outputTopic;
    }

    private int[] sensorSize() {
        String[] wh = sensor.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(wh[0].trim());
            int h = Integer.parseInt(wh[1].trim());
            if (wh.length != 2 || w < 1 || h < 1 || w > 65_535 || h > 65_535) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--sensor must look like 128x128, was '" + sensor + "'");
        }
    }
}
