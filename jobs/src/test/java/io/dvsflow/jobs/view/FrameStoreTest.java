package io.dvsflow.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameStoreTest {

    private static ViewFrame png(String stream, String kind, long t) {
        return ViewFrame.ofPng(0, stream, kind, t, -1, new byte[] {1}, 1_000, 1_250);
    }

    @Test
    void keepsTheLatestPerKeyAndNumbersUpdates() throws Exception {
        FrameStore store = new FrameStore();
        List<Long> seen = new ArrayList<>();
        try (AutoCloseable sub = store.subscribe(f -> seen.add(f.sequence()))) {
            store.put(png("a", "counts", 10));
            store.put(png("a", "vdib", 10));
            store.put(png("a", "counts", 20));
        }
        store.put(png("a", "counts", 30)); // after unsubscribing
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.get("a", "counts").windowStartUs()).isEqualTo(30);
        assertThat(store.get("a", "counts").sequence()).isEqualTo(4);
        assertThat(store.updates()).isEqualTo(4);
    }

    @Test
    void dropsTheLeastRecentlyUpdatedKeyBeyondTheBound() {
        FrameStore store = new FrameStore(2);
        store.put(png("a", "counts", 1));
        store.put(png("b", "counts", 1));
        store.put(png("a", "counts", 2)); // a is now the most recent
        store.put(png("c", "counts", 1)); // evicts b
        assertThat(store.asMap().keySet())
                .containsExactly(
                        new FrameStore.Key("a", "counts"), new FrameStore.Key("c", "counts"));
    }

    @Test
    void jsonCarriesLatencyAndDashesForUnknowns() {
        ViewFrame f = png("cam \"1\"", "vdib", 50_000);
        // latency = received - produced = 1250 - 1000 ms
        assertThat(f.toJson())
                .contains("\"stream\":\"cam \\\"1\\\"\"")
                .contains("\"group\":\"naturalized\"")
                .contains("\"latencyMs\":250")
                .contains("\"modelVersion\":null")
                .contains("\"windowEndUs\":null")
                .contains("\"spikes\":null");
        assertThat(ViewFrame.groupOf("counts")).isEqualTo("events");
        assertThat(ViewFrame.groupOf("target")).isEqualTo("target");
        assertThat(ViewFrame.groupOf("weird")).isEqualTo("other");
    }

    @Test
    void scriptTagsInStreamIdsAreEscaped() {
        ViewFrame f = png("</script>", "counts", 0);
        assertThat(f.toJson()).doesNotContain("</script>").contains("\\u003c/script\\u003e");
    }

    @Test
    void jsonCarriesTheSpikeStatisticsOfKafkaFrames() {
        io.dvsflow.schemas.avro.Frame frame =
                io.dvsflow.schemas.avro.Frame.newBuilder(
                                TestFrames.gradient("cam", "vdib", 50_000, 0))
                        .setSpikeStats(
                                java.util.List.of(
                                        new io.dvsflow.schemas.avro.LayerSpikes(
                                                "hidden0", 0.09f, null, null),
                                        new io.dvsflow.schemas.avro.LayerSpikes(
                                                "readout", 0.375f, 0.75f, 0.125f)))
                        .build();
        String json = ViewFrame.ofFrame(1, frame, 1_000, 1_010).toJson();
        assertThat(json)
                .contains("\"modelVersion\":7")
                .contains(
                        "\"spikes\":[{\"layer\":\"hidden0\",\"rate\":0.0900,\"active\":null,"
                                + "\"bursting\":null},{\"layer\":\"readout\",\"rate\":0.3750,"
                                + "\"active\":0.7500,\"bursting\":0.1250}]");
    }
}
