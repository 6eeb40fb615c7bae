package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a dvsflow command in this JVM for tests. */
public final class CliRun {

    private CliRun() {}

    /**
     * Runs {@code args}, asserts exit code 0 (the failure message shows what the command printed to
     * stderr) and returns what it printed to stdout.
     */
    public static String succeed(String... args) {
        CommandLine cl = DvsflowCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }
}
