package io.dvsflow.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class EventTimeLagTest {

    @Test
    void lagIsNewestEventTimeMinusWatermarkPerStream() {
        EventTimeLag lag = new EventTimeLag(new UnregisteredMetricsGroup());
        assertThat(lag.lagUs("a")).isEqualTo(-1);
        lag.observe("a", 1_000, Long.MIN_VALUE);
        assertThat(lag.lagUs("a")).isZero(); // no watermark yet
        lag.observe("a", 5_000, 400);
        lag.observe("b", 2_000, 1_400);
        // a: 5000 - 1400 (the newest watermark), b: 2000 - 1400
        assertThat(lag.lagUs("a")).isEqualTo(3_600);
        assertThat(lag.lagUs("b")).isEqualTo(600);
        lag.observe("a", 4_000, 4_900); // an older packet never lowers the newest time
        assertThat(lag.lagUs("a")).isEqualTo(100);
        lag.observe("b", 2_500, 6_000); // the watermark passed the stream: lag 0, never negative
        assertThat(lag.lagUs("b")).isZero();
    }

    @Test
    void theNumberOfTrackedStreamsIsBounded() {
        EventTimeLag lag = new EventTimeLag(new UnregisteredMetricsGroup());
        for (int i = 0; i < EventTimeLag.MAX_STREAMS + 10; i++) {
            lag.observe("s" + i, 10, 0);
        }
        assertThat(lag.lagUs("s0")).isEqualTo(10);
        assertThat(lag.lagUs("s" + (EventTimeLag.MAX_STREAMS + 5))).isEqualTo(-1);
    }
}
