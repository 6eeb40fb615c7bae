package io.dvsflow.operators.binning;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.operators.filters.DenoiseFilterFunction;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.ImageFrame;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.operators.types.StreamIdKeySelector;
import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventBinnerITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void binsTwoStreamsOnAMiniClusterWithoutKryo() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();

        // stream "a": 3 ON events at (0,0) in window [0, 1 ms), 1 OFF in [1, 2 ms);
        // the refractory filter (0.1 ms) drops the repeat at 150 (50 after the kept 100)
        EventPacket a1 = EventPacket.builder("a", 2, 2).on(100, 0, 0).on(150, 0, 0).build();
        EventPacket a2 =
                EventPacket.builder("a", 2, 2).on(400, 0, 0).on(900, 0, 0).off(1_500, 1, 1).build();
        // stream "b": one event per window in three windows
        EventPacket b1 =
                EventPacket.builder("b", 2, 2)
                        .off(10, 1, 0)
                        .on(1_010, 0, 1)
                        .on(2_010, 1, 1)
                        .build();

        DataStream<ImageFrame> frames =
                env.fromData(EventPacketTypeInfo.INSTANCE, a1, b1, a2)
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                PacketWatermarks.boundedDisorder(
                                        Duration.ofMillis(1), Duration.ofSeconds(1)))
                        .keyBy(new StreamIdKeySelector())
                        .process(DenoiseFilterFunction.refractory(2, 2, Duration.ofNanos(100_000)))
                        .keyBy(new StreamIdKeySelector())
                        .process(
                                new EventBinner(
                                        BinnerConfig.of(
                                                Duration.ofMillis(1), FrameKind.SIGNED, 2, 2)));

        List<ImageFrame> out = new ArrayList<>();
        try (CloseableIterator<ImageFrame> it = frames.executeAndCollect("binner-itcase")) {
            it.forEachRemaining(out::add);
        }
        out.sort(
                Comparator.comparing(ImageFrame::streamId)
                        .thenComparingLong(ImageFrame::windowStartUs));

        // SIGNED 2x2 frames, row-major [ (0,0), (1,0), (0,1), (1,1) ] as (x,y)
        assertThat(out)
                .extracting(ImageFrame::streamId, ImageFrame::windowStartUs, ImageFrame::eventCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 0L, 3L),
                        org.assertj.core.groups.Tuple.tuple("a", 1_000L, 1L),
                        org.assertj.core.groups.Tuple.tuple("b", 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple("b", 1_000L, 1L),
                        org.assertj.core.groups.Tuple.tuple("b", 2_000L, 1L));
        assertThat(out.get(0).pixels()).containsExactly(3f, 0f, 0f, 0f);
        assertThat(out.get(1).pixels()).containsExactly(0f, 0f, 0f, -1f);
        assertThat(out.get(2).pixels()).containsExactly(0f, -1f, 0f, 0f);
        assertThat(out.get(3).pixels()).containsExactly(0f, 0f, 1f, 0f);
        assertThat(out.get(4).pixels()).containsExactly(0f, 0f, 0f, 1f);
    }
}
