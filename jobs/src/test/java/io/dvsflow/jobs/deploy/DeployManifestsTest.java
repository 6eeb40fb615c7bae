package io.dvsflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dvsflow.jobs.NaturalizeClusterJob;
import io.dvsflow.jobs.cli.DurationConverter;
import io.dvsflow.jobs.kafka.KafkaConnectors;
import io.dvsflow.schemas.avro.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes (Flink Kubernetes Operator, Strimzi) and docker compose manifests of deploy/,
 * which cannot run here: parsed, and checked against each other, the Dockerfile, the job jar's name
 * and {@link NaturalizeClusterJob}'s options.
 */
class DeployManifestsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String JAR_IN_IMAGE = "/opt/flink/usrlib/dvsflow-job.jar";

    static Path deploy;
    static JsonNode flink;
    static Map<String, JsonNode> topics;
    static JsonNode kafka;
    static JsonNode compose;

    @BeforeAll
    static void load() throws IOException {
        deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy");
        assertThat(deploy.resolve("README.md")).as("deploy/ beside jobs/").exists();
        flink = YAML.readTree(deploy.resolve("k8s/flinkdeployment.yaml").toFile());
        topics = new HashMap<>();
        for (JsonNode t : all(deploy.resolve("k8s/topics.yaml"))) {
            assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic");
            topics.put(t.path("metadata").path("name").asText(), t);
        }
        for (JsonNode k : all(deploy.resolve("k8s/kafka.yaml"))) {
            if (k.path("kind").asText().equals("Kafka")) {
                kafka = k;
            }
        }
        compose = YAML.readTree(deploy.resolve("compose/docker-compose.yml").toFile());
    }

    private static List<JsonNode> all(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static String[] args(JsonNode array, int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < array.size(); i++) {
            out.add(array.get(i).asText());
        }
        return out.toArray(String[]::new);
    }

    /** The destination of the Dockerfile's COPY of the job jar, and its source. */
    private static String[] dockerCopy() throws IOException {
        Matcher m =
                Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)\\s*$")
                        .matcher(Files.readString(deploy.resolve("Dockerfile")));
        assertThat(m.find()).as("COPY line in deploy/Dockerfile").isTrue();
        return new String[] {m.group(1), m.group(2)};
    }

    /** Checkpointing, state backend, restarts and JVM options shared by both deployments. */
    private static void assertProductionConfig(JsonNode conf) {
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        Duration interval =
                DurationConverter.parse(conf.path("execution.checkpointing.interval").asText());
        // frames commit on checkpoints: an interval beyond the transaction timeout aborts them
        assertThat(interval)
                .isPositive()
                .isLessThan(
                        Duration.ofMillis(
                                Long.parseLong(KafkaConnectors.DEFAULT_TRANSACTION_TIMEOUT_MS)));
        assertThat(conf.path("execution.checkpointing.dir").asText()).isNotBlank();
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).isNotBlank();
        assertThat(conf.path("execution.checkpointing.externalized-checkpoint-retention").asText())
                .isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(conf.path("restart-strategy.type").asText()).isEqualTo("exponential-delay");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.path("env.java.opts.all").asText())
                .contains(
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                                + Frame.class.getPackageName()
                                + ",");
    }

    @Test
    void theJarPathIsWhereTheDockerfileCopiesTheShadedJar() throws IOException {
        String[] copy = dockerCopy();
        assertThat(copy[1]).isEqualTo(JAR_IN_IMAGE);
        assertThat(copy[0]).isEqualTo("jobs/target/dvsflow-job.jar");
        // the shade profile writes exactly that file
        assertThat(Files.readString(deploy.getParent().resolve("jobs/pom.xml")))
                .contains("<outputFile>${project.build.directory}/dvsflow-job.jar</outputFile>");
        JsonNode job = flink.path("spec").path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JAR_IN_IMAGE);
        assertThat(job.path("entryClass").asText()).isEqualTo(NaturalizeClusterJob.class.getName());
    }

    @Test
    void theFlinkDeploymentRunsTheJobWithTheProductionConfiguration() {
        assertThat(flink.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(flink.path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = flink.path("spec");
        assertThat(spec.path("image").asText()).isEqualTo("dvsflow/naturalize:0.1.0");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertProductionConfig(spec.path("flinkConfiguration"));
        JsonNode job = spec.path("job");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        int parallelism = job.path("parallelism").asInt();
        assertThat(parallelism).isPositive();
        // no source reader without a partition to read
        assertThat(parallelism)
                .isLessThanOrEqualTo(
                        topics.get(NaturalizeClusterJob.DEFAULT_INPUT_TOPIC)
                                .path("spec")
                                .path("partitions")
                                .asInt());
    }

    @Test
    void theJobArgumentsNameTheStrimziTopicsAndBootstrapService() {
        NaturalizeClusterJob job =
                NaturalizeClusterJob.parse(args(flink.path("spec").path("job").path("args"), 0));
        // the manifests use the job's defaults, so a bare `flink run` reads the same topics
        assertThat(job.inputTopic()).isEqualTo(NaturalizeClusterJob.DEFAULT_INPUT_TOPIC);
        assertThat(job.outputTopic()).isEqualTo(NaturalizeClusterJob.DEFAULT_OUTPUT_TOPIC);
        assertThat(topics).containsKeys(job.inputTopic(), job.outputTopic(), job.deadLetterTopic());
        String cluster = kafka.path("metadata").path("name").asText();
        for (JsonNode t : topics.values()) {
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(cluster);
        }
        List<String> a = List.of(args(flink.path("spec").path("job").path("args"), 0));
        String bootstrap = a.get(a.indexOf("--bootstrap") + 1);
        int port = kafka.path("spec").path("kafka").path("listeners").get(0).path("port").asInt();
        assertThat(bootstrap).isEqualTo(cluster + "-kafka-bootstrap:" + port);
        long maxTimeout =
                kafka.path("spec")
                        .path("kafka")
                        .path("config")
                        .path("transaction.max.timeout.ms")
                        .asLong();
        assertThat(maxTimeout)
                .isGreaterThanOrEqualTo(
                        Long.parseLong(KafkaConnectors.DEFAULT_TRANSACTION_TIMEOUT_MS));
    }

    @Test
    void composeRunsTheSameImageJobAndConfiguration() throws IOException {
        JsonNode services = compose.path("services");
        JsonNode jm = services.path("jobmanager");
        JsonNode tm = services.path("taskmanager");
        String image = flink.path("spec").path("image").asText();
        assertThat(jm.path("image").asText()).isEqualTo(image);
        assertThat(tm.path("image").asText()).isEqualTo(image);
        JsonNode command = jm.path("command");
        assertThat(command.get(0).asText()).isEqualTo("standalone-job");
        assertThat(command.get(1).asText()).isEqualTo("--job-classname");
        assertThat(command.get(2).asText()).isEqualTo(NaturalizeClusterJob.class.getName());
        NaturalizeClusterJob job = NaturalizeClusterJob.parse(args(command, 3));
        List<String> a = List.of(args(command, 3));
        String bootstrapHost = a.get(a.indexOf("--bootstrap") + 1).split(":")[0];
        assertThat(services.has(bootstrapHost)).as("bootstrap host is a service").isTrue();

        // the topics the init container creates
        String create = services.path("kafka-topics").path("command").get(0).asText();
        Map<String, Integer> partitions = new HashMap<>();
        Matcher m = Pattern.compile("--topic (\\S+) --partitions (\\d+)").matcher(create);
        while (m.find()) {
            partitions.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(partitions)
                .containsKeys(job.inputTopic(), job.outputTopic(), job.deadLetterTopic());

        // FLINK_PROPERTIES is itself YAML (the image appends it to config.yaml)
        JsonNode conf = YAML.readTree(jm.path("environment").path("FLINK_PROPERTIES").asText());
        assertThat(YAML.readTree(tm.path("environment").path("FLINK_PROPERTIES").asText()))
                .isEqualTo(conf);
        assertProductionConfig(conf);
        assertThat(conf.path("execution.checkpointing.interval").asText())
                .isEqualTo(
                        flink.path("spec")
                                .path("flinkConfiguration")
                                .path("execution.checkpointing.interval")
                                .asText());
        int parallelism = conf.path("parallelism.default").asInt();
        int slots =
                tm.path("deploy").path("replicas").asInt()
                        * conf.path("taskmanager.numberOfTaskSlots").asInt();
        assertThat(parallelism).isPositive().isLessThanOrEqualTo(slots);
        assertThat(parallelism).isLessThanOrEqualTo(partitions.get(job.inputTopic()));
    }
}
