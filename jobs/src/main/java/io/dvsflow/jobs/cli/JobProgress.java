package io.dvsflow.jobs.cli;

import io.dvsflow.jobs.naturalize.PacketCounter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a job and draws a progress bar of the events it has read (the {@link PacketCounter}
 * accumulator, polled from the running job) with their rate, until the job ends.
 */
final class JobProgress {

    private static final long POLL_MILLIS = 250;

    private JobProgress() {}

    /**
     * Executes {@code env}'s job and waits for its result.
     *
     * @param totalEvents events expected, or {@code -1} when unknown (the bar then shows count and
     *     rate only)
     */
    static JobExecutionResult execute(StreamExecutionEnvironment env, String name, long totalEvents)
            throws Exception {
        JobClient client = env.executeAsync(name);
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        try (ProgressBar bar = ProgressBar.create(name, totalEvents, "events", false)) {
            while (true) {
                try {
                    return result.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    try {
                        Map<String, Object> acc =
                                client.getAccumulators().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                        if (acc.get(PacketCounter.EVENTS) instanceof Long events) {
                            bar.set(events);
                        }
                    } catch (TimeoutException
                            | java.util.concurrent.ExecutionException
                            | IllegalStateException e) {
                        // the job is starting or finishing (a local cluster that has just shut
                        // down refuses the call): no accumulators to show; the result follows
                    }
                }
            }
        }
    }
}
