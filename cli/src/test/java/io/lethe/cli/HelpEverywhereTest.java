package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand answers {@code --help} and {@code -h} with its usage and exit 0,
 * whatever parameters it requires, and {@code lethe help COMMAND} does the same. The tree is walked
 * from picocli's own model of the CLI, so a command added later is covered.
 */
class HelpEverywhereTest {

    record Run(int exit, String out, String err) {}

    private static Run lethe(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                Lethe.run(
                        args.toArray(String[]::new),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void paths(CommandLine command, List<String> path, List<List<String>> all) {
        all.add(path);
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (sub.getCommandName().equals(name)) {
                                List<String> deeper = new ArrayList<>(path);
                                deeper.add(name);
                                paths(sub, deeper, all);
                            }
                        });
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> all = new ArrayList<>();
        paths(new CommandLine(Lethe.class), List.of(), all);
        assertThat(all).as("the walk reaches nested subcommands").hasSizeGreaterThan(15);
        for (List<String> path : all) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Run run = lethe(args);
                assertThat(run.exit()).as("%s: %s", args, run.err()).isZero();
                assertThat(run.out()).as("%s", args).contains("Usage:");
            }
        }
        Run help = lethe(List.of("help", "unlock"));
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage:").contains("unlock");
    }
}
