package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void formatsBarPercentRateAndEta() {
        // 450 of 1000 in 2 s: 45 %, 9 of 20 bar cells, rate 225/s, ETA 550 / 225 = 2.4 s -> 0:03
        assertThat(ProgressBar.format("convert", 450, 1000, "events", 2.0, 20))
                .isEqualTo(
                        "convert [#########-----------]  45%  450/1.00k events  225 events/s"
                                + "  ETA 0:03");
    }

    @Test
    void formatsAnUnknownTotalWithElapsedTime() {
        // 1,234,567 B in 61 s: 20,238.8 B/s -> 20.2k; 61 s -> 1:01
        assertThat(ProgressBar.format("read", 1_234_567, -1, "B", 61.0, 20))
                .isEqualTo("read  1.23M B  20.2k B/s  1:01 elapsed");
    }

    @Test
    void formatsTheStartAndTheEnd() {
        assertThat(ProgressBar.format("x", 0, 10, "", 0.0, 4))
                .isEqualTo("x [----]   0%  0/10  -/s  ETA -");
        // 10 of 10 in 3725 s: rate 0.00268/s, ETA 0
        assertThat(ProgressBar.format("x", 10, 10, "", 3725, 4))
                .isEqualTo("x [####] 100%  10/10  0.00/s  ETA 0:00");
        assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void siPrefixesKeepThreeSignificantDigits() {
        assertThat(ProgressBar.si(999)).isEqualTo("999");
        assertThat(ProgressBar.si(999.6)).isEqualTo("1.00k");
        assertThat(ProgressBar.si(45_600_000)).isEqualTo("45.6M");
        assertThat(ProgressBar.si(789e9)).isEqualTo("789G");
        assertThat(ProgressBar.si(2.5)).isEqualTo("2.50");
    }

    @Test
    void redrawsAtMostEveryTenthOfASecondAndIsSilentWhenDisabled() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = new ProgressBar("p", 100, "", out, true, now::get)) {
            bar.advance(1); // first draw
            now.set(50_000_000L);
            bar.advance(1); // too soon
            now.set(150_000_000L);
            bar.advance(1); // drawn
        } // close: final draw and newline
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s.chars().filter(c -> c == '\r').count()).isEqualTo(3);
        assertThat(s).endsWith(System.lineSeparator()).contains("3/100");

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        try (ProgressBar bar =
                new ProgressBar("p", 100, "", new PrintStream(quiet), false, now::get)) {
            bar.advance(50);
            assertThat(bar.done()).isEqualTo(50);
        }
        assertThat(quiet.size()).isZero();
    }
}
