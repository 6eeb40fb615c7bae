package io.dvsflow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, at every level, answers {@code --help} with exit 0 and an example. */
class EveryCommandHelpTest {

    private static void collect(CommandLine cl, List<List<String>> paths, List<String> prefix) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help") || !e.getValue().getCommandName().equals(e.getKey())) {
                continue; // picocli's help command and aliases
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            paths.add(path);
            collect(e.getValue(), paths, path);
        }
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        List<List<String>> paths = new ArrayList<>();
        collect(DvsflowCli.commandLine(), paths, List.of());
        assertThat(paths).hasSizeGreaterThan(15);
        List<String> withoutExamples = new ArrayList<>();
        for (List<String> path : paths) {
            CommandLine cl = DvsflowCli.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(new StringWriter(), true));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int exit = cl.execute(args.toArray(String[]::new));
            assertThat(exit).as(String.join(" ", path)).isZero();
            assertThat(out.toString()).as(String.join(" ", path)).contains("Usage: dvsflow");
            CommandLine sub = cl;
            for (String p : path) {
                sub = sub.getSubcommands().get(p);
            }
            boolean group = !sub.getSubcommands().isEmpty();
            if (!group && !out.toString().contains("Example")) {
                withoutExamples.add(String.join(" ", path));
            }
        }
        assertThat(withoutExamples).as("commands whose --help shows no example").isEmpty();
    }
}
