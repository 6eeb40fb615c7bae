package io.dvsflow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.jobs.NaturalizeClusterJob;
import io.dvsflow.jobs.naturalize.NaturalizeMethod;
import io.dvsflow.jobs.naturalize.NaturalizeSettings;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class NaturalizeClusterJobTest {

    @Test
    void defaultsNameTheTopicsGroupAndTransactionalPrefix() {
        NaturalizeClusterJob job = NaturalizeClusterJob.parse("--bootstrap", "kafka:9092");
        assertThat(job.inputTopic()).isEqualTo("dvs-events");
        assertThat(job.outputTopic()).isEqualTo("dvs-frames");
        assertThat(job.deadLetterTopic()).isEqualTo("dvs-events.dead");
        assertThat(job.groupId()).isEqualTo("dvsflow-naturalize");
        assertThat(job.transactionalIdPrefix()).isEqualTo("dvsflow-naturalize-dvs-frames");
        assertThat(job.exactlyOnce()).isTrue();
        NaturalizeSettings s = job.settings();
        assertThat(s.sensorWidth()).isEqualTo(128);
        assertThat(s.sensorHeight()).isEqualTo(128);
        assertThat(s.method()).isEqualTo(NaturalizeMethod.HIGHPASS);
        assertThat(s.window()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.maxDisorder()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.idleness()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void optionsOverrideTheDefaults() {
        NaturalizeClusterJob job =
                NaturalizeClusterJob.parse(
                        "--bootstrap",
                        "b:1",
                        "--input-topic",
                        "in",
                        "--output-topic",
                        "out",
                        "--sensor",
                        "346x260",
                        "--max-disorder",
                        "1s",
                        "--delivery",
                        "at-least-once",
                        "--transactional-id-prefix",
                        "p");
        assertThat(job.deadLetterTopic()).isEqualTo("in.dead");
        assertThat(job.transactionalIdPrefix()).isEqualTo("p");
        assertThat(job.exactlyOnce()).isFalse();
        assertThat(job.settings().sensorWidth()).isEqualTo(346);
        assertThat(job.settings().maxDisorder()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void badArgumentsAreRefusedWithOneSentence() {
        assertThatThrownBy(() -> NaturalizeClusterJob.parse("--input-topic", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap");
        assertThatThrownBy(() -> NaturalizeClusterJob.parse("--bootstrap", "b:1", "--sensor", "12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--sensor");
        assertThatThrownBy(
                        () -> NaturalizeClusterJob.parse("--bootstrap", "b:1", "--delivery", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--delivery");
    }

    @Test
    void vdibNeedsAModelTopicAndLearningAReferenceTopic() {
        assertThatThrownBy(
                        () -> NaturalizeClusterJob.parse("--bootstrap", "b:1", "--method", "vdib"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--model-topic");
        assertThatThrownBy(
                        () ->
                                NaturalizeClusterJob.parse(
                                        "--bootstrap",
                                        "b:1",
                                        "--method",
                                        "vdib",
                                        "--model-topic",
                                        "m",
                                        "--learn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--reference-topic");
        assertThatThrownBy(
                        () ->
                                NaturalizeClusterJob.parse(
                                        "--bootstrap", "b:1", "--model-topic", "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need --method vdib");
        assertThat(
                        NaturalizeClusterJob.parse(
                                "--bootstrap",
                                "b:1",
                                "--method",
                                "vdib",
                                "--model-topic",
                                "m",
                                "--learn",
                                "--reference-topic",
                                "r"))
                .isNotNull();
    }

    @Test
    void helpIsPrintedInsteadOfAJob() {
        assertThat(NaturalizeClusterJob.parse("--help")).isNull();
    }

    @Test
    void exactlyOnceWithoutCheckpointingIsRefused() {
        NaturalizeClusterJob job = NaturalizeClusterJob.parse("--bootstrap", "127.0.0.1:9");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThatThrownBy(() -> job.build(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("execution.checkpointing.interval");
    }

    @Test
    void theGraphHasStableUidsFromSourceToKafkaSink() throws Exception {
        NaturalizeClusterJob job =
                NaturalizeClusterJob.parse(
                        "--bootstrap", "127.0.0.1:9", "--checkpoint-interval", "1s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.build(env);
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(1000);
        StreamGraph graph = env.getStreamGraph();
        Set<String> uids =
                graph.getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .filter(u -> u != null)
                        .collect(Collectors.toSet());
        // savepoints map state by these uids: renaming one loses that operator's state
        assertThat(uids).contains("events-source", "count-events", "naturalizer", "to-avro-frame");
        assertThat(graph.getStreamNodes().stream().map(StreamNode::getOperatorName))
                .anyMatch(n -> n.contains("kafka-frames"));
    }
}
