package io.dvsflow.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.models.training.VdibModel;
import io.dvsflow.models.training.VdibRunner;
import io.dvsflow.models.training.VdibSample;
import io.dvsflow.schemas.EventPacket;
import org.junit.jupiter.api.Test;

class BundledModelsTest {

    @Test
    void bundledClassifierReadsAHandDrawnOne() {
        var c = BundledModels.lenet5();
        assertThat(c.width()).isEqualTo(28);
        assertThat(c.height()).isEqualTo(28);
        // a "1": a vertical stroke 3 px wide from row 4 to row 23, in the centre
        float[] one = new float[28 * 28];
        for (int y = 4; y < 24; y++) {
            for (int x = 13; x < 16; x++) {
                one[y * 28 + x] = 1f;
            }
        }
        assertThat(c.predict(new float[][] {one})).containsExactly(1);
    }

    @Test
    void mnistDvsModelLoadsAndDecodesEvents() {
        VdibModel m = BundledModels.mnistDvs();
        assertThat(m.input().encoding()).isEqualTo(VdibModel.Encoding.DVS);
        assertThat(m.inputWidth()).isEqualTo(26);
        assertThat(m.inputHeight()).isEqualTo(26);
        assertThat(m.cropX()).isEqualTo(51);
        assertThat(m.cropY()).isEqualTo(51);
        assertThat(m.encoder().inputs()).isEqualTo(2 * 26 * 26);
        // a ring of ON events in the crop, 10 per bin
        DvsBinning bins = new DvsBinning(m.input());
        EventPacket p = new EventPacket("s", 128, 128, 1 << 12);
        for (int k = 0; k < m.steps(); k++) {
            for (int a = 0; a < 10; a++) {
                double th = 2 * Math.PI * a / 10;
                p.add(
                        k * m.dtUs(),
                        (int) (64 + 8 * Math.cos(th)),
                        (int) (64 + 8 * Math.sin(th)),
                        1);
            }
        }
        bins.accept(p);
        int[][] b = bins.finish();
        assertThat(b[0]).hasSize(m.steps() + 1);
        assertThat(b[1]).hasSize(10 * m.steps());
        VdibRunner r = new VdibRunner(m);
        float[] img = new float[26 * 26];
        r.encode(VdibSample.ofBins(b[0], b[1], new float[26 * 26], -1), 1, null, null);
        r.decode(img);
        for (float v : img) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void binningDropsEventsOutsideTheCropAndRepeats() {
        VdibModel.InputSettings in = VdibModel.InputSettings.dvs(4, 4, 10, 20, 2, 1000);
        DvsBinning bins = new DvsBinning(in);
        EventPacket p = new EventPacket("s", 128, 128, 16);
        p.add(5, 10, 20, 1); // first event: t0 = 5; ON plane 16 + 0 = 16
        p.add(6, 10, 20, 1); // repeat in the same bin: dropped
        p.add(7, 13, 23, 0); // OFF, (3, 3): 3 * 4 + 3 = 15
        p.add(8, 14, 20, 0); // x outside the crop
        p.add(1005, 11, 20, 0); // bin 1: OFF (1, 0) = 1
        p.add(2005, 11, 20, 0); // bin 2 >= T: ignored
        bins.accept(p);
        int[][] b = bins.finish();
        assertThat(b[0]).containsExactly(0, 2, 3);
        assertThat(b[1]).containsExactly(15, 16, 1);
    }
}
