package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvsflow.connectors.formats.EventFormat;
import io.dvsflow.connectors.formats.EventFormats;
import io.dvsflow.connectors.formats.EventWriter;
import io.dvsflow.connectors.formats.WriterOptions;
import io.dvsflow.schemas.EventPacket;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DvsflowCliTest {

    /** Five events: 3 ON, 2 OFF, from 10 us to 50 us. */
    private static final EventPacket FIVE =
            EventPacket.builder("five", 128, 128)
                    .on(10, 1, 2)
                    .off(20, 3, 4)
                    .on(30, 127, 127)
                    .off(40, 0, 0)
                    .on(50, 64, 65)
                    .build();

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = DvsflowCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path write(Path dir, String name, EventFormat format, EventPacket events)
            throws IOException {
        Path file = dir.resolve(name);
        try (EventWriter w =
                EventFormats.writer(
                        file, format, WriterOptions.of(128, 128).withDevice("DVS128"))) {
            w.write(events);
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"inspect", "convert", "render", "bench", "bench decode", "replay", "camera"})
    void everyCommandHasHelpWithAnExample(String command) {
        String[] args =
                Stream.concat(Stream.of(command.split(" ")), Stream.of("--help"))
                        .toArray(String[]::new);
        Run r = run(args);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: dvsflow " + command);
        if (!command.equals("bench")) {
            assertThat(r.out()).contains("Examples:");
        }
    }

    @Test
    void inspectJsonReportsTheCountsOfTheEventsWritten(@TempDir Path dir) throws IOException {
        Path file = write(dir, "five.aedat", EventFormat.AEDAT2, FIVE);
        Run r = run("inspect", file.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("\"format\": \"aedat2\"")
                .contains("\"width\": 128")
                .contains("\"height\": 128")
                .contains("\"events\": 5")
                .contains("\"on_events\": 3")
                .contains("\"off_events\": 2")
                .contains("\"t_first_us\": 10")
                .contains("\"t_last_us\": 50")
                .contains("\"skipped\": 0");
    }

    @Test
    void dumpCsvPrintsEveryEventAfterAHeader(@TempDir Path dir) throws IOException {
        Path file = write(dir, "five.aedat", EventFormat.AEDAT2, FIVE);
        Run r = run("inspect", file.toString(), "--dump-csv");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList())
                .containsExactly(
                        "t,x,y,p",
                        "10,1,2,1",
                        "20,3,4,0",
                        "30,127,127,1",
                        "40,0,0,0",
                        "50,64,65,1");
    }

    @Test
    void convertKeepsEveryEventAcrossAllWrittenFormats(@TempDir Path dir) throws IOException {
        Path aedat2 = write(dir, "five.aedat", EventFormat.AEDAT2, FIVE);
        List<String> expected =
                run("inspect", aedat2.toString(), "--dump-csv").out().lines().toList();
        Path previous = aedat2;
        for (String to : new String[] {"aedat3", "aedat4", "aedat2"}) {
            Path next = dir.resolve("five-" + to + "-" + System.nanoTime());
            Run c = run("convert", previous.toString(), next.toString(), "--to", to);
            assertThat(c.exit()).as(c.err()).isZero();
            assertThat(run("inspect", next.toString(), "--json").out())
                    .contains("\"format\": \"" + to + "\"");
            assertThat(run("inspect", next.toString(), "--dump-csv").out().lines().toList())
                    .isEqualTo(expected);
            previous = next;
        }
    }

    @Test
    void renderWritesOnePngPerWindow(@TempDir Path dir) throws IOException {
        Path file = write(dir, "five.aedat", EventFormat.AEDAT2, FIVE);
        Path out = dir.resolve("frames");
        // 20 us windows aligned at 0: [0,20) [20,40) [40,60) -> 3 frames
        Run r = run("render", file.toString(), "--window", "20us", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("frame_000000.png", "frame_000001.png", "frame_000002.png");
        }
    }

    @Test
    void errorsAreOneSentenceWithDocumentedExitCodes(@TempDir Path dir) throws IOException {
        Run missing = run("inspect", dir.resolve("nope.aedat").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip())
                .isEqualTo(
                        "dvsflow inspect: "
                                + dir.resolve("nope.aedat")
                                + ": no such readable file");

        Path garbage = dir.resolve("garbage.aedat");
        Files.write(garbage, new byte[] {0x7F, 'E', 'L', 'F', 1, 2, 3});
        Run bad = run("inspect", garbage.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err())
                .contains(garbage.toString())
                .contains("at byte 0")
                .doesNotContain("Exception");

        Run usage = run("inspect", "--no-such-option");
        assertThat(usage.exit()).isEqualTo(2);
        Run badDuration =
                run("render", garbage.toString(), "--window", "fast", "--out", dir.toString());
        assertThat(badDuration.exit()).isEqualTo(2);
        assertThat(badDuration.err()).contains("'fast' is not a duration");
    }
}
