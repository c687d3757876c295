package io.lethe.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that talks to the server shares: where it is, the token, the output format.
 */
abstract class Base implements Callable<Integer> {

    enum Format {
        json,
        table
    }

    @Mixin Connection connection;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "json or table (default: ${DEFAULT-VALUE})")
    Format output;

    @Spec CommandSpec spec;

    private Server server;

    boolean json() {
        return output == Format.json;
    }

    Server server() {
        if (server == null) {
            server = new Server(connection.url(), connection.token(), progress());
        }
        return server;
    }

    Output out() {
        return new Output(output, stdout());
    }

    Progress progress() {
        return new Progress(stderr(), System.console() != null);
    }

    PrintStream stdout() {
        return Streams.out;
    }

    PrintStream stderr() {
        return Streams.err;
    }

    /** The streams of the current run (tests run lethe in-process with their own streams, too). */
    static final class Streams {
        static PrintStream out = System.out;
        static PrintStream err = System.err;

        private Streams() {}
    }
}
