package io.dvsflow.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.sink.FrameKafkaSerializer;
import io.dvsflow.schemas.avro.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The record handling of the Kafka feed (the consumer loop itself needs a broker). */
class KafkaFrameFeedTest {

    @Test
    void decodesFramesAndCountsBadRecords() throws Exception {
        FrameStore store = new FrameStore();
        KafkaFrameFeed feed = new KafkaFrameFeed("127.0.0.1:1", "frames", store);
        Frame vdib = TestFrames.gradient("cam1", "vdib", 250_000, 0);

        assertThat(feed.offer(FrameKafkaSerializer.encode(vdib), 5_000L)).isTrue();
        ViewFrame f = store.get("cam1", "vdib");
        assertThat(f.modelVersion()).isEqualTo(7L);
        assertThat(f.eventCount()).isEqualTo(123L);
        assertThat(f.windowEndUs()).isEqualTo(300_000);
        assertThat(f.producedAtMillis()).isEqualTo(5_000L);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.png()));
        assertThat(img.getWidth()).isEqualTo(TestFrames.W);
        assertThat(img.getHeight()).isEqualTo(TestFrames.H);

        assertThat(feed.offer(new byte[] {1, 2, 3}, 0)).isFalse();
        Frame shortPixels = Frame.newBuilder(vdib).setPixels(ByteBuffer.allocate(12)).build();
        assertThat(feed.offer(FrameKafkaSerializer.encode(shortPixels), 0)).isFalse();
        Frame huge = Frame.newBuilder(vdib).setWidth(1 << 20).setHeight(1 << 20).build();
        assertThat(feed.offer(FrameKafkaSerializer.encode(huge), 0)).isFalse();
        assertThat(feed.skipped()).isEqualTo(3);
        assertThat(store.size()).isEqualTo(1);
    }
}
