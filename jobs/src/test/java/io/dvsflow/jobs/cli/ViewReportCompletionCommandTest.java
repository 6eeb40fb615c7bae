package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewReportCompletionCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"view", "report", "completion"})
    void helpWithAnExample(String command) {
        DvsflowCliTest.Run r = DvsflowCliTest.run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: dvsflow " + command).contains("Examples:");
    }

    @Test
    void completionScriptCompletesTheCommands() {
        DvsflowCliTest.Run r = DvsflowCliTest.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("complete -F")
                .contains("dvsflow")
                .contains("view")
                .contains("report")
                .contains("--bootstrap");
    }

    @Test
    void viewNeedsExactlyOneSource(@TempDir Path dir) {
        assertThat(DvsflowCliTest.run("view").exit()).isEqualTo(2);
        DvsflowCliTest.Run both =
                DvsflowCliTest.run(
                        "view", "--dir", dir.toString(), "--bootstrap", "h:1", "--topic", "t");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        DvsflowCliTest.Run missing =
                DvsflowCliTest.run("view", "--dir", dir.resolve("nope").toString(), "--port", "0");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nope").contains("no such folder");
    }

    @Test
    void reportWritesTheHtmlOrSaysWhatIsMissing(@TempDir Path run) throws Exception {
        DvsflowCliTest.Run empty = DvsflowCliTest.run("report", run.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("nothing to report");

        Files.writeString(run.resolve("summary.json"), "{\"psnr\": 21.5}");
        DvsflowCliTest.Run ok = DvsflowCliTest.run("report", run.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("report.html").contains("1 metrics");
        assertThat(Files.readString(run.resolve("report.html"))).contains("21.5");
    }
}
