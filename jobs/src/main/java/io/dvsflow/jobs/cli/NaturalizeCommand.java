package io.dvsflow.jobs.cli;

import io.dvsflow.connectors.formats.RecordingSummary;
import io.dvsflow.connectors.kafka.KafkaClientProperties;
import io.dvsflow.connectors.sink.PngFrameSink;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.connectors.source.RecordingSplit;
import io.dvsflow.jobs.env.JobEnvironments;
import io.dvsflow.jobs.kafka.KafkaConnectors;
import io.dvsflow.jobs.kafka.ModelTopic;
import io.dvsflow.jobs.naturalize.NaturalizeJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import io.dvsflow.jobs.naturalize.PacketCounter;
import io.dvsflow.jobs.naturalize.VdibModels;
import io.dvsflow.jobs.naturalize.VdibRun;
import io.dvsflow.jobs.report.FrameFolderSheet;
import io.dvsflow.jobs.view.ViewServer;
import io.dvsflow.operators.vdib.ModelGate;
import io.dvsflow.schemas.avro.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dvsflow naturalize}: the naturalization job on the embedded default. */
@Command(
        name = "naturalize",
        mixinStandardHelpOptions = true,
        description = {
            "Run the naturalization job: recordings are read in event time, binned per stream and"
                    + " turned into images (high-pass filter, direct integration, event frames, or"
                    + " the learned VDIB naturalizer with --method vdib --model FILE), written as"
                    + " PNG files per stream. With --learn the VDIB model keeps learning from"
                    + " reference images (the MNIST-DVS emulation sidecars' source digits) and"
                    + " writes every new version. Runs on a local Flink environment in this JVM.",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow naturalize --input rec.aedat --method highpass --window 20ms --out out/",
            "  ./dvsflow naturalize --input mnist-dvs/ --method counts --window 50ms --out frames/",
            "  ./dvsflow naturalize --input mnist-dvs/ --method vdib --model model.avro --out out/",
            "  ./dvsflow naturalize --input mnist-dvs/ --method vdib --model model.avro --learn \\",
            "      --reference mnist-dvs/ --out out/",
            "  ./dvsflow naturalize --input davis.aedat --method vdib --model model.avro --learn \\",
            "      --aps-references --out out/",
            "  ./dvsflow naturalize --bootstrap 127.0.0.1:9092 --input-topic events --sensor 128x128"
                    + " --output-topic frames --exactly-once",
            "  ./dvsflow naturalize --bootstrap 127.0.0.1:9092 --input-topic events --sensor 128x128 \\",
            "      --method vdib --model model.avro --model-topic models --learn \\",
            "      --reference-topic targets --output-topic frames --exactly-once",
        })
final class NaturalizeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "PATH",
            description = "A recording or a folder of recordings (repeatable).")
    List<Path> inputs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output folder: one sub-folder of PNG frames per stream.")
    Path out;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (with --input-topic and/or --output-topic).")
    String bootstrap;

    @Option(
            names = "--input-topic",
            paramLabel = "TOPIC",
            description = "Read event packets from this Kafka topic instead of files.")
    String inputTopic;

    @Option(
            names = "--output-topic",
            paramLabel = "TOPIC",
            description = "Write Avro Frame records to this Kafka topic (keyed by stream id).")
    String outputTopic;

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "TOPIC",
            description =
                    "Topic for input records that fail to decode (default: INPUT-TOPIC.dead).")
    String deadLetterTopic;

    @Option(
            names = "--group-id",
            defaultValue = "dvsflow-naturalize",
            paramLabel = "ID",
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client properties passed through (security, SASL, TLS).")
    Path kafkaProperties;

    @Option(
            names = "--bounded",
            description = "With --input-topic: stop at the offsets that are the latest at start.")
    boolean bounded;

    @Option(
            names = "--exactly-once",
            description = "Kafka frame output in transactions (checkpoints every 1s unless set).")
    boolean exactlyOnce;

    @Option(
            names = "--checkpoint-interval",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Checkpoint interval, e.g. 1s (default: none; 1s with --exactly-once).")
    Duration checkpointInterval;

    @Option(
            names = "--view",
            description = "Serve the live viewer on 127.0.0.1 while the job runs (needs --out).")
    boolean view;

    @Option(
            names = "--view-port",
            defaultValue = "0",
            paramLabel = "N",
            description = "Viewer port (default: a free one).")
    int viewPort;

    @Option(
            names = "--sensor",
            paramLabel = "WxH",
            description = "Sensor size, e.g. 128x128 (default: from the first recording).")
    String sensor;

    @Option(
            names = "--speed",
            defaultValue = "0",
            paramLabel = "X",
            description =
                    "Replay speed: 0 as fast as possible, 1 real time (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            paramLabel = "N",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--scale",
            defaultValue = "4",
            paramLabel = "K",
            description = "PNG enlargement per pixel (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "VDIB model snapshot (.avro) for --method vdib (optional with a --model-topic"
                            + " that holds one: the newer version is used).")
    Path model;

    @Option(
            names = "--model-topic",
            paramLabel = "TOPIC",
            description =
                    "VDIB: compacted Kafka topic of model versions (created if absent). The job"
                            + " starts from its newest valid version when newer than --model,"
                            + " applies versions that arrive while it runs, and with --learn writes"
                            + " every learned version to it (the loop of online learning on a"
                            + " cluster). Needs --bootstrap.")
    String modelTopic;

    @Option(
            names = "--reference-topic",
            paramLabel = "TOPIC",
            description =
                    "VDIB --learn: Kafka topic of reference images (Avro Frame records keyed by"
                            + " stream id, the decoder's size, their window says which spikes they"
                            + " belong to); malformed records go to TOPIC.dead. Needs --bootstrap.")
    String referenceTopic;

    @Option(
            names = "--learn",
            description = "With --method vdib: keep learning online from --reference images.")
    boolean learn;

    @Option(
            names = "--reference",
            paramLabel = "DIR",
            description =
                    "Folder with the recordings' MNIST-DVS emulation sidecars (their source digits"
                            + " are the targets; default: beside each recording).")
    Path reference;

    @Option(
            names = "--aps-references",
            description =
                    "With --learn: the references are the DAVIS APS frames inside the input"
                            + " recordings (DAVIS AEDAT 2.0 APS samples, AEDAT 3.1 FRAME events,"
                            + " AEDAT 4.0 FRME streams), each"
                            + " for the window holding"
                            + " the middle of its exposure, cut to the model's input region and"
                            + " resized to its output.")
    boolean apsReferences;

    @Option(
            names = "--reference-every",
            paramLabel = "N",
            description = "One reference every N windows (default: the model's tau_d).")
    Integer referenceEvery;

    @Option(
            names = "--reference-duration",
            defaultValue = "2s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Stream time covered by references (default: ${DEFAULT-VALUE}).")
    Duration referenceDuration;

    @Option(
            names = "--learning-rate",
            defaultValue = "1e-3",
            paramLabel = "LR",
            description = "Adam learning rate of online learning (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Mixin OnlineEstimatorMixin estimator;

    @Option(
            names = "--batch",
            defaultValue = "1",
            paramLabel = "N",
            description = "References combined per model update (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--model-out",
            paramLabel = "DIR",
            description = "Folder for learned model versions (default: OUT/models).")
    Path modelOut;

    @Option(
            names = "--emit-every",
            defaultValue = "1",
            paramLabel = "K",
            description = "VDIB: decode an image every K windows (default: ${DEFAULT-VALUE}).")
    int emitEvery;

    @Option(
            names = "--seed",
            defaultValue = "1",
            paramLabel = "S",
            description =
                    "VDIB: seed of the stochastic readout neurons (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ReaderOptionsMixin readerOptions;

    @Mixin NaturalizerOptions naturalizer;

    @Override
    public Integer call() throws Exception {
        boolean fromFiles = inputs != null && !inputs.isEmpty();
        if (fromFiles == (inputTopic != null)) {
            throw new ParameterException(
                    spec.commandLine(), "give either --input PATH or --input-topic TOPIC");
        }
        if (out == null && outputTopic == null) {
            throw new ParameterException(
                    spec.commandLine(), "give --out DIR and/or --output-topic TOPIC");
        }
        if ((inputTopic != null
                        || outputTopic != null
                        || modelTopic != null
                        || referenceTopic != null)
                && bootstrap == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--input-topic, --output-topic, --model-topic and --reference-topic need"
                            + " --bootstrap HOST:PORT");
        }
        if ((referenceTopic != null || apsReferences) && !learn) {
            throw new ParameterException(
                    spec.commandLine(), "--reference-topic and --aps-references need --learn");
        }
        if ((reference != null ? 1 : 0) + (referenceTopic != null ? 1 : 0) + (apsReferences ? 1 : 0)
                > 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give one source of references: --reference DIR, --reference-topic TOPIC or"
                            + " --aps-references");
        }
        Properties kafka = KafkaClientProperties.load(kafkaProperties, bootstrap);
        kafkaProps = kafka;
        Duration interval =
                checkpointInterval != null
                        ? checkpointInterval
                        : exactlyOnce ? Duration.ofSeconds(1) : null;
        StreamExecutionEnvironment env = JobEnvironments.create(parallelism, interval);
        if (naturalizer.method() == NaturalizeMethod.VDIB) {
            VdibRun.lowLatency(env);
        }
        int[] size;
        int recordings;
        NaturalizeJob.Graph graph;
        if (fromFiles) {
            DvsFileSource.Builder builder =
                    DvsFileSource.builder().readerOptions(readerOptions.toOptions());
            for (Path p : inputs) {
                if (!Files.exists(p)) {
                    throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file");
                }
                builder.addPath(p);
            }
            DvsFileSource source = builder.replaySpeed(speed).build();
            recordings = source.recordings().size();
            size = sensorSize(source.recordings());
            NaturalizeSettings settings = settings(size);
            graph =
                    VdibRun.build(
                            env,
                            source,
                            settings,
                            referenceTopic != null
                                    ? referenceStream(env, kafka, true)
                                    : VdibRun.referenceStream(
                                            env, references(settings, source.recordings())),
                            modelStream(env, kafka, true));
        } else {
            if (sensor == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--input-topic needs --sensor WxH (packets may come from any camera)");
            }
            recordings = 0;
            size = sensorSize(List.of());
            KafkaConnectors.PacketSourceBuilder source =
                    KafkaConnectors.packetSource(kafka, inputTopic)
                            .groupId(groupId)
                            .deadLetterTopic(
                                    deadLetterTopic != null
                                            ? deadLetterTopic
                                            : inputTopic + ".dead");
            if (bounded) {
                source.bounded(OffsetsInitializer.latest());
            }
            if (learn && referenceTopic == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--learn with --input-topic needs --reference-topic TOPIC (reference"
                                + " images keyed by stream id)");
            }
            NaturalizeSettings settings = settings(size);
            graph =
                    NaturalizeJob.build(
                            env.fromSource(
                                            source.build(),
                                            io.dvsflow.operators.types.PacketWatermarks
                                                    .boundedDisorder(
                                                            settings.maxDisorder(),
                                                            settings.idleness()),
                                            "events",
                                            io.dvsflow.operators.types.EventPacketTypeInfo.INSTANCE)
                                    .uid("events-source"),
                            settings,
                            referenceTopic != null ? referenceStream(env, kafka, bounded) : null,
                            modelStream(env, kafka, bounded));
        }
        if (learn && modelTopic != null && graph.models() != null) {
            graph.models()
                    .sinkTo(ModelTopic.sink(kafka, modelTopic))
                    .setParallelism(1)
                    .name("model-topic-out")
                    .uid("model-topic-out");
        }
        if (out != null) {
            graph.frames()
                    .sinkTo(new PngFrameSink(out, scale))
                    .name("png-frames")
                    .uid("png-frames");
        }
        if (outputTopic != null) {
            KafkaConnectors.SinkBuilder<Frame> sink = KafkaConnectors.frameSink(kafka, outputTopic);
            if (exactlyOnce) {
                sink.exactlyOnce("dvsflow-naturalize-" + outputTopic);
            }
            graph.frames().sinkTo(sink.build()).name("kafka-frames").uid("kafka-frames");
        }
        ViewServer viewer = null;
        if (view) {
            if (out == null) {
                throw new ParameterException(spec.commandLine(), "--view needs --out DIR");
            }
            Files.createDirectories(out);
            viewer = ViewServer.watching(out);
            int port = viewer.start(viewPort);
            spec.commandLine()
                    .getOut()
                    .printf("live view: http://127.0.0.1:%d/ (frames from %s)%n", port, out);
            spec.commandLine().getOut().flush();
        }
        long start = System.nanoTime();
        JobExecutionResult result;
        try {
            result = JobProgress.execute(env, "naturalize", -1);
        } finally {
            if (viewer != null) {
                viewer.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = result.<Long>getAccumulatorResult(PacketCounter.EVENTS);
        if (naturalizer.method() == NaturalizeMethod.VDIB) {
            VdibRun.Figures f = VdibRun.figures(result, seconds);
            spec.commandLine().getOut().println(f.line());
        }
        long frames = 0;
        if (out != null) {
            try (Stream<Path> files = Files.walk(out)) {
                frames = files.filter(f -> f.toString().endsWith(".png")).count();
            }
        }
        if (out != null && frames > 0) {
            Path sheet = out.resolve("contact-sheet.png");
            if (FrameFolderSheet.write(out, sheet, 6, 16, 128) > 0) {
                spec.commandLine().getOut().printf("contact sheet: %s%n", sheet);
            }
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "naturalized %d recording(s) (0 = Kafka): %,d events -> %,d frames (%dx%d, %s, %s"
                                + " windows) in %.1f s (%.3f Mev/s) -> %s%n",
                        recordings,
                        events,
                        frames,
                        size[0],
                        size[1],
                        naturalizer.methodName(),
                        naturalizer.window(),
                        seconds,
                        events / seconds / 1e6,
                        out != null ? out : outputTopic);
        return 0;
    }

    private NaturalizeSettings settings(int[] size) throws java.io.IOException {
        NaturalizeMethod m = naturalizer.method();
        NaturalizeSettings base = naturalizer.settings(size[0], size[1]);
        if (m != NaturalizeMethod.VDIB) {
            if (model != null || learn) {
                throw new ParameterException(
                        spec.commandLine(), "--model and --learn need --method vdib");
            }
            return base;
        }
        Path models = modelOut != null ? modelOut : out != null ? out.resolve("models") : null;
        return base.withVdib(
                VdibRun.options(
                        startModel(),
                        learn,
                        learningRate,
                        batch,
                        emitEvery,
                        seed,
                        models,
                        estimator.estimator()));
    }

    private Properties kafkaProps;

    /** The model to start from: --model, or the model topic's newest version when newer. */
    private byte[] startModel() throws java.io.IOException {
        byte[] file = null;
        if (model != null) {
            CliFiles.requireReadable(model);
            file = VdibModels.load(model);
        }
        if (modelTopic == null) {
            if (file == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--method vdib needs --model FILE (or a --model-topic holding a model)");
            }
            return file;
        }
        try {
            ModelTopic.ensureCompacted(kafkaProps, modelTopic);
        } catch (Exception e) {
            throw new java.io.IOException(
                    "cannot create or check the model topic " + modelTopic + ": " + e.getMessage(),
                    e);
        }
        byte[] fromTopic = ModelTopic.latest(kafkaProps, modelTopic, Duration.ofSeconds(30));
        if (fromTopic == null && file == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "the model topic " + modelTopic + " holds no valid model: give --model FILE");
        }
        if (fromTopic == null) {
            return file;
        }
        if (file == null
                || ModelGate.decode(fromTopic, false).version()
                        > ModelGate.decode(file, false).version()) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "model: version %d from topic %s%n",
                            ModelGate.decode(fromTopic, false).version(), modelTopic);
            return fromTopic;
        }
        return file;
    }

    /** The model topic as the broadcast model stream, or null without --model-topic. */
    private DataStream<byte[]> modelStream(
            StreamExecutionEnvironment env, Properties kafka, boolean boundedInput) {
        if (modelTopic == null || naturalizer.method() != NaturalizeMethod.VDIB) {
            return null;
        }
        return env.fromSource(
                        ModelTopic.source(kafka, modelTopic, boundedInput),
                        WatermarkStrategy.noWatermarks(),
                        "model-topic")
                .setParallelism(1)
                .uid("model-topic");
    }

    /** The reference topic as reference images. */
    private DataStream<io.dvsflow.operators.types.ImageFrame> referenceStream(
            StreamExecutionEnvironment env, Properties kafka, boolean boundedInput) {
        return env.fromSource(
                        ModelTopic.referenceSource(
                                kafka, referenceTopic, referenceTopic + ".dead", boundedInput),
                        WatermarkStrategy.noWatermarks(),
                        "reference-topic")
                .uid("reference-topic")
                .map(
                        io.dvsflow.operators.types.ImageFrameAvroConverter::fromAvro,
                        io.dvsflow.operators.types.ImageFrameTypeInfo.INSTANCE)
                .name("references")
                .uid("reference-frames");
    }

    private java.util.List<io.dvsflow.operators.types.ImageFrame> references(
            NaturalizeSettings settings, List<RecordingSplit> splits) throws java.io.IOException {
        if (!learn) {
            return null;
        }
        if (apsReferences) {
            io.dvsflow.models.training.VdibModel m =
                    ModelGate.decode(settings.vdib().model(), false).model();
            List<io.dvsflow.jobs.naturalize.ApsReferences.Recording> recs =
                    new java.util.ArrayList<>();
            for (RecordingSplit r : splits) {
                recs.add(
                        new io.dvsflow.jobs.naturalize.ApsReferences.Recording(
                                Path.of(r.path()), r.streamId()));
            }
            return io.dvsflow.jobs.naturalize.ApsReferences.frames(
                    recs,
                    readerOptions.toOptions(),
                    m.cropX(),
                    m.cropY(),
                    m.inputWidth(),
                    m.inputHeight(),
                    m.decoder().outputWidth(),
                    m.decoder().outputHeight(),
                    m.dtUs());
        }
        return VdibRun.references(
                settings.vdib(),
                splits,
                reference,
                referenceEvery,
                referenceDuration.toNanos() / 1000);
    }

    private int[] sensorSize(List<RecordingSplit> recordings) throws java.io.IOException {
        if (sensor != null) {
            String[] wh = sensor.toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                return new int[] {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "--sensor must look like 128x128, was '" + sensor + "'");
            }
        }
        RecordingSummary s =
                RecordingSummary.scan(Path.of(recordings.get(0).path()), readerOptions.toOptions());
        return new int[] {s.effectiveWidth(), s.effectiveHeight()};
    }
}
