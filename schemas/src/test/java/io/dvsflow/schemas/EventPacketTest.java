package io.dvsflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventPacketTest {

    @Test
    void growsWhenAddingBeyondCapacityAndKeepsEvents() {
        EventPacket packet = new EventPacket("s", 10, 10, 1);
        for (int i = 0; i < 100; i++) {
            packet.add(i, i % 10, i / 10, i & 1);
        }
        assertThat(packet.size()).isEqualTo(100);
        assertThat(packet.t(99)).isEqualTo(99);
        assertThat(packet.x(57)).isEqualTo(7);
        assertThat(packet.y(57)).isEqualTo(5);
        assertThat(packet.p(57)).isEqualTo(1);
    }

    @Test
    void clearKeepsCapacityAndCopyIsIndependent() {
        EventPacket packet = EventPacket.builder("s", 4, 4).on(1, 0, 0).off(2, 1, 1).build();
        EventPacket copy = packet.copy();
        packet.clear();
        assertThat(packet.isEmpty()).isTrue();
        assertThat(packet.capacity()).isEqualTo(2);
        assertThat(copy.size()).isEqualTo(2);
        assertThat(copy.lastTimestamp()).isEqualTo(2);
    }

    @Test
    void equalityIgnoresCapacity() {
        EventPacket a = new EventPacket("s", 4, 4, 100);
        a.add(5, 1, 2, 1);
        EventPacket b = EventPacket.builder("s", 4, 4).on(5, 1, 2).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.add(6, 1, 2, 0);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new EventPacket("s", -1, 4, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventPacket.builder("s", 4, 4).add(1, 1, 1, 2))
                .hasMessageContaining("polarity");
        EventPacket p = new EventPacket("s", 4, 4, 2);
        assertThatThrownBy(() -> p.t(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.setSize(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
