package io.dvsflow.jobs.naturalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.ReaderOptions;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.connectors.source.DvsFileSource;
import io.dvsflow.models.decoder.DecoderInputMode;
import io.dvsflow.models.decoder.LogisticDecoder;
import io.dvsflow.models.neuron.LifParameters;
import io.dvsflow.models.neuron.SnnEncoder;
import io.dvsflow.models.snapshot.ModelSnapshots;
import io.dvsflow.models.training.VdibModel;
import io.dvsflow.operators.types.EventPacketTypeInfo;
import io.dvsflow.operators.types.PacketWatermarks;
import io.dvsflow.schemas.EventPacket;
import io.dvsflow.schemas.avro.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The VDIB naturalize job (stochastic readout neurons) restored from a checkpoint taken mid-stream
 * produces exactly the frames of an uninterrupted run: same images, same model version, none lost,
 * none repeated.
 */
class VdibRecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicLong CHECKPOINTS = new AtomicLong();

    @TempDir static Path dir;

    /** A small model: 16 x 16 crop at (20, 10), 50 ms bins, 40 LIF, 24 readouts, tau_d 4. */
    static final byte[] MODEL =
            ModelSnapshots.toBytes(
                    new VdibModel(
                                    SnnEncoder.random(
                                            2 * 16 * 16,
                                            new int[] {40},
                                            24,
                                            LifParameters.decolle(),
                                            4,
                                            8,
                                            0.5f,
                                            false,
                                            3L),
                                    new LogisticDecoder(24 * 4, 16, 16, 4L),
                                    DecoderInputMode.WINDOW,
                                    4,
                                    VdibModel.InputSettings.dvs(16, 16, 20, 10, 40, 50_000L),
                                    1e-3,
                                    0.3)
                            .toSnapshot(9L, java.util.Map.of()));

    /** Throws once, after a checkpoint completed and at least 30 packets passed. */
    static final class FailOnceAfterCheckpoint
            implements MapFunction<EventPacket, EventPacket>, CheckpointListener {
        private long seen;

        @Override
        public EventPacket map(EventPacket packet) {
            seen++;
            if (CHECKPOINTS.get() > 0 && seen > 30 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure mid-file");
            }
            return packet;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }

    static Path recording(String name, long seed, int width, int height) throws Exception {
        Path file = dir.resolve(name);
        SplittableRandom r = new SplittableRandom(seed);
        EventPacket events = new EventPacket("x", width, height, 100_000);
        long t = 0;
        for (int i = 0; i < 100_000; i++) {
            t += r.nextInt(40); // about 2 s of events
            events.add(t, r.nextInt(width), r.nextInt(height), r.nextInt(2));
        }
        try (EventWriter w =
                EventFormats.writer(
                        file,
                        EventFormat.AEDAT3,
                        WriterOptions.of(width, height).withDevice("DVS128"))) {
            w.write(events);
        }
        return file;
    }

    static List<Frame> run(List<Path> files, boolean injectFailure) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (injectFailure) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(10));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DvsFileSource.Builder b =
                DvsFileSource.builder()
                        .readerOptions(ReaderOptions.defaults().withPacketCapacity(1000))
                        .replaySpeed(injectFailure ? 1.0 : 0.0);
        for (Path f : files) {
            b.addRecording(f, f.getFileName().toString());
        }
        DataStream<EventPacket> packets =
                env.fromSource(
                                b.build(),
                                PacketWatermarks.boundedDisorder(
                                        Duration.ofMillis(1), Duration.ofSeconds(5)),
                                "files",
                                EventPacketTypeInfo.INSTANCE)
                        .map(new FailOnceAfterCheckpoint(), EventPacketTypeInfo.INSTANCE);
        NaturalizeSettings settings =
                NaturalizeSettings.defaults(64, 48)
                        .withVdib(VdibRun.options(MODEL, false, 1e-3, 1, 1, 5L, null));
        List<Frame> out = new ArrayList<>();
        try (CloseableIterator<Frame> it =
                NaturalizeJob.build(packets, settings).frames().executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(
                Comparator.comparing(Frame::getStreamId)
                        .thenComparingLong(Frame::getWindowStartUs));
        return out;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void restoreMidStreamGivesExactlyTheImagesOfAnUninterruptedRun() throws Exception {
        List<Path> files =
                List.of(recording("a.aedat", 1, 64, 48), recording("b.aedat", 2, 64, 48));
        FAILED.set(true); // no failure in the reference run
        List<Frame> reference = run(files, false);
        FAILED.set(false);
        CHECKPOINTS.set(0);
        List<Frame> recovered = run(files, true);

        assertThat(FAILED.get()).as("the failure was injected").isTrue();
        // 2 recordings x about 2 s / 50 ms windows, one image per window
        assertThat(reference).hasSizeBetween(70, 82);
        assertThat(reference).allSatisfy(f -> assertThat(f.getModelVersion()).isEqualTo(9L));
        assertThat(reference).allSatisfy(f -> assertThat(f.getKind()).isEqualTo("vdib"));
        assertThat(recovered).hasSameSizeAs(reference);
        for (int i = 0; i < reference.size(); i++) {
            assertThat(recovered.get(i)).as("frame " + i).isEqualTo(reference.get(i));
        }
    }
}
