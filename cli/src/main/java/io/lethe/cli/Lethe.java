package io.lethe.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lethe}: Lethe's command-line client for pipeline steps and operators.
 *
 * <p>Exit codes, for a pipeline to branch on: 0 succeeded; 1 the operation or batch failed, was
 * cancelled or quarantined its device (or a certificate does not verify); 2 the request was refused
 * (any 4xx problem, 401 and 403 included, or a malformed command line); 3 timed out waiting; 4 the
 * server cannot be reached or keeps answering 5xx after retries. Results go to stdout, problems and
 * progress to stderr; with {@code --output json} stdout holds exactly one JSON document whatever
 * the outcome. The token is never printed.
 */
@Command(
        name = "lethe",
        mixinStandardHelpOptions = true,
        // --help and -h on every subcommand too, before its required parameters are checked
        scope = CommandLine.ScopeType.INHERIT,
        version = "lethe 0.1.0",
        description =
                "Unlock, secure erase and decommission memory devices through a Lethe service.",
        footer = {
            "",
            "Exit codes: 0 succeeded, 1 failed/cancelled/quarantined, 2 refused, 3 timed out, 4 unreachable,",
            "5 a verified certificate of a simulated erase (verify-certificate).",
            "Environment: LETHE_URL (default http://localhost:8080), LETHE_TOKEN, LETHE_PASSPHRASE."
        },
        subcommands = {
            Inventory.Hosts.class,
            Inventory.Devices.class,
            Inventory.Regions.class,
            OperationsCommand.class,
            BatchesCommand.class,
            AuditCommand.class,
            CertificatesCommand.class,
            StartCommands.Erase.class,
            StartCommands.Decommission.class,
            StartCommands.Unlock.class,
            BatchCommand.class,
            CertificatesCommand.Certificate.class,
            VerifyCertificate.class,
            CommandLine.HelpCommand.class
        })
public final class Lethe {

    private Lethe() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command line and answers its exit code; what it prints goes to the given streams.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Base.Streams.out = out;
        Base.Streams.err = err;
        CommandLine cli = new CommandLine(new Lethe());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(
                new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(
                new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setExecutionExceptionHandler(new Failures(out, err));
        cli.setParameterExceptionHandler(
                (ex, arguments) -> {
                    err.println("lethe: " + ex.getMessage());
                    err.println(
                            "Try '"
                                    + ex.getCommandLine().getCommandSpec().qualifiedName()
                                    + " --help'.");
                    err.flush();
                    return Exit.REFUSED;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
