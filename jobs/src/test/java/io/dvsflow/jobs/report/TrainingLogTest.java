package io.dvsflow.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {

    @Test
    void readsNumericColumnsOverTheStepColumn(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("train-log.csv");
        Files.writeString(csv, "time,loss,Epoch,acc\nx,2.5,1,0.1\ny,,2,0.2\n\nz,1.5,3,oops\n");
        TrainingLog log = TrainingLog.read(csv);
        assertThat(log.xName()).isEqualTo("Epoch");
        assertThat(log.x()).containsExactly(1, 2, 3);
        assertThat(log.names()).containsExactly("loss", "acc");
        assertThat(log.series().get(0)).containsExactly(2.5, Double.NaN, 1.5);
        assertThat(log.series().get(1)).containsExactly(0.1, 0.2, Double.NaN);
        assertThat(log.truncated()).isFalse();
    }

    @Test
    void withoutAStepColumnTheRecordNumberIsTheAbscissa(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "loss\n3\n2\n");
        TrainingLog log = TrainingLog.read(csv);
        assertThat(log.xName()).isEqualTo("row");
        assertThat(log.x()).containsExactly(0, 1);
    }

    @Test
    void chartTicksAreRoundNumbers() {
        // range [0, 1]: raw step 0.2 -> step 0.2: 0, 0.2, ..., 1
        assertThat(CurveChart.ticks(0, 1)).hasSize(6).startsWith(0.0);
        // range [3, 97]: raw step 18.8 -> magnitude 10, 1.88 -> step 20: 20, 40, 60, 80
        assertThat(CurveChart.ticks(3, 97)).containsExactly(20, 40, 60, 80);
        assertThat(CurveChart.label(0.25)).isEqualTo("0.25");
        assertThat(CurveChart.label(1e6)).isEqualTo("1.0e+06");
    }
}
