package io.dvsflow.jobs.cli;

import io.dvsflow.jobs.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dvsflow report RUN_DIR}: {@code RUN_DIR/report.html} ({@link RunReport}). */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write RUN_DIR/report.html, one self-contained page (pictures embedded) with the"
                    + " metric tables of RUN_DIR/summary.json (MSE, PSNR, SSIM, accuracy,"
                    + " throughput, latency), curves of every numeric column of"
                    + " RUN_DIR/metrics.csv and RUN_DIR/train-log.csv (header line first; x axis"
                    + " the column step, epoch, iteration, iter, batch or samples), and a contact"
                    + " sheet per stream (events | naturalized | target) of the PNG frames under"
                    + " RUN_DIR (<stream>/<kind>_<windowStartUs>.png).",
        },
        footer = {
            "",
            "Examples:",
            "  ./dvsflow report runs/2024-05-01-vdib",
            "  ./dvsflow report out --rows 12 --cell 128",
        })
final class ReportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder.")
    Path runDir;

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "8",
            description = "Time windows per contact sheet (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
            names = "--cell",
            paramLabel = "PX",
            defaultValue = "160",
            description = "Contact sheet cell size in pixels (default: ${DEFAULT-VALUE}).")
    int cell;

    @Override
    public Integer call() throws IOException {
        if (rows < 1 || rows > 1000 || cell < 8 || cell > 2048) {
            throw new IllegalArgumentException(
                    "--rows must be in [1, 1000] and --cell in [8, 2048]");
        }
        RunReport.Result r = RunReport.write(runDir, new RunReport.Options(rows, cell));
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s (%d contact sheets, %d curves, %d metrics)%n",
                        r.html(), r.contactSheets(), r.curves(), r.metrics());
        return 0;
    }
}
