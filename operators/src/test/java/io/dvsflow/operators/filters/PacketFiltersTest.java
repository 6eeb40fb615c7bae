package io.dvsflow.operators.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvsflow.schemas.EventPacket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketFiltersTest {

    private static EventPacket run(PacketFilter filter, EventPacket in) {
        EventPacket out = new EventPacket(in.streamId(), in.width(), in.height(), 0);
        filter.filter(in, filter.newTimestampMap(), out);
        return out;
    }

    @Test
    void backgroundActivityKeepsEventsWithARecentNeighbour() {
        var filter = new BackgroundActivityFilter(5, 5, Duration.ofMillis(1));
        EventPacket in =
                EventPacket.builder("cam", 5, 5)
                        .on(0, 2, 2) // nothing before: dropped
                        .on(500, 3, 3) // (2,2) at 0 >= 500 - 1000: kept
                        .off(600, 0, 0) // no neighbour ever: dropped
                        .on(3_000, 2, 2) // (3,3) at 500 < 2000: dropped
                        .on(3_100, 2, 2) // only the pixel itself fired: dropped
                        .off(3_200, 1, 1) // (2,2) at 3100 >= 2200: kept
                        .on(4_200, 0, 0) // (1,1) at 3200 >= 3200 (boundary): kept
                        .on(4_300, 9, 9) // outside the sensor: dropped
                        .build();
        EventPacket out = run(filter, in);
        assertThat(out)
                .isEqualTo(
                        EventPacket.builder("cam", 5, 5)
                                .on(500, 3, 3)
                                .off(3_200, 1, 1)
                                .on(4_200, 0, 0)
                                .build());
    }

    @Test
    void refractoryDropsRepeatsWithinThePeriodOfThePassedEvent() {
        var filter = new RefractoryFilter(3, 3, Duration.ofMillis(1));
        EventPacket in =
                EventPacket.builder("cam", 3, 3)
                        .on(0, 1, 1) // kept
                        .off(500, 1, 1) // 500 after: dropped
                        .on(999, 1, 1) // dropped, does not extend the dead time
                        .on(1_000, 1, 1) // 1000 after the kept one: kept
                        .on(1_500, 2, 1) // other pixel: kept
                        .on(1_999, 1, 1) // dropped
                        .off(2_000, 1, 1) // kept
                        .on(2_001, -1, 0) // outside the sensor: dropped
                        .build();
        assertThat(run(filter, in))
                .isEqualTo(
                        EventPacket.builder("cam", 3, 3)
                                .on(0, 1, 1)
                                .on(1_000, 1, 1)
                                .on(1_500, 2, 1)
                                .off(2_000, 1, 1)
                                .build());
    }

    @Test
    void filtersOnlyDropAndKeepOrder() {
        Random random = new Random(11);
        EventPacket in = new EventPacket("cam", 16, 12, 5_000);
        long t = 0;
        for (int i = 0; i < 5_000; i++) {
            t += random.nextInt(50);
            in.add(t, random.nextInt(16), random.nextInt(12), random.nextInt(2));
        }
        for (PacketFilter filter :
                new PacketFilter[] {
                    new BackgroundActivityFilter(16, 12, Duration.ofMillis(2)),
                    new RefractoryFilter(16, 12, Duration.ofMillis(2))
                }) {
            EventPacket out = run(filter, in);
            assertThat(out.size()).isLessThan(in.size()).isPositive();
            // out is a subsequence of in
            int j = 0;
            for (int i = 0; i < in.size() && j < out.size(); i++) {
                if (in.t(i) == out.t(j)
                        && in.x(i) == out.x(j)
                        && in.y(i) == out.y(j)
                        && in.p(i) == out.p(j)) {
                    j++;
                }
            }
            assertThat(j).as(filter.toString()).isEqualTo(out.size());
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new RefractoryFilter(0, 3, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sensor size");
        assertThatThrownBy(() -> new BackgroundActivityFilter(3, 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
    }
}
