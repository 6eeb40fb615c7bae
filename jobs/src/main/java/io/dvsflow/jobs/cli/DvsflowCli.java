package io.dvsflow.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dvsflow} command line: one vocabulary for every user-facing action (see README.md).
 *
 * <p>Exit codes: 0 success, 1 failure of the work (bad input file, failed job), 2 bad usage.
 */
@Command(
        name = "dvsflow",
        mixinStandardHelpOptions = true,
        version = "dvsflow 0.1.0",
        description = "Streaming pipeline for event cameras (DVS) on Apache Flink.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InspectCommand.class,
            ConvertCommand.class,
            RenderCommand.class,
            BenchCommand.class,
            KafkaLocalCommand.class,
            NaturalizeCommand.class,
            DemoCommand.class,
            ReplayCommand.class,
            CameraCommand.class,
            ViewCommand.class,
            ReportCommand.class,
            CompletionCommand.class,
            DatasetsCommand.class,
            EmulateCommand.class,
            TrainCommand.class,
            EvalCommand.class,
        })
public final class DvsflowCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line (for tests and {@link #main}). */
    public static CommandLine commandLine() {
        DvsflowCli root = new DvsflowCli();
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    boolean verbose = parseResult.originalArgs().contains("--verbose");
                    commandLine
                            .getErr()
                            .println(
                                    "dvsflow "
                                            + commandLine.getCommandName()
                                            + ": "
                                            + oneSentence(ex));
                    if (verbose) {
                        ex.printStackTrace(commandLine.getErr());
                    }
                    commandLine.getErr().flush();
                    return ex instanceof CommandLine.ParameterException ? 2 : 1;
                });
        return cl;
    }

    /** The error as one sentence: the message, or the exception's kind when it has none. */
    static String oneSentence(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return nsf.getFile() + ": no such readable file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException ade) {
            return ade.getFile() + ": permission denied";
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName()
                    + (ex.getCause() != null ? " caused by " + oneSentence(ex.getCause()) : "");
        }
        return m;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
