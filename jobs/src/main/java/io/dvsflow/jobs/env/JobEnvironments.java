package io.dvsflow.jobs.env;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment of dvsflow jobs: the local Flink environment inside this JVM when run
 * from the command line (the embedded default), the cluster's when submitted with {@code flink
 * run}. Generic (Kryo) types are always disabled, so a slow serialization fallback fails loudly.
 */
public final class JobEnvironments {

    private JobEnvironments() {}

    /**
     * An environment with the given parallelism (0 = Flink's default), checkpoint interval ({@code
     * null} = no checkpoints) and no restarts.
     */
    public static StreamExecutionEnvironment create(int parallelism, Duration checkpointInterval) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        if (checkpointInterval != null) {
            env.enableCheckpointing(checkpointInterval.toMillis());
        }
        return env;
    }
}
