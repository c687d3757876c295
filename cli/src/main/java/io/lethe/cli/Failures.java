package io.lethe.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what went wrong into an exit code, a line on stderr and, for --output json, a JSON document
 * on stdout.
 */
final class Failures implements IExecutionExceptionHandler {

    private final PrintStream out;
    private final PrintStream err;

    Failures(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
        boolean json =
                command.getCommand() instanceof Base base && base.json()
                        || command.getCommand() instanceof VerifyCertificate verify
                                && verify.output == Base.Format.json;
        if (ex instanceof Refused refused) {
            err.println("lethe: " + refused.getMessage());
            if (json) {
                out.println(Output.toJson(refused.problem()));
            }
            return Exit.REFUSED;
        }
        if (ex instanceof Unreachable unreachable) {
            err.println("lethe: " + unreachable.getMessage());
            if (json) {
                out.println(
                        Output.toJson(
                                problem(
                                        "unreachable",
                                        "Cannot reach the server",
                                        unreachable.getMessage())));
            }
            return Exit.UNREACHABLE;
        }
        if (ex instanceof TimedOut timedOut) {
            err.println("lethe: " + timedOut.getMessage());
            if (json) {
                out.println(Output.toJson(timedOut.last()));
            }
            return Exit.TIMED_OUT;
        }
        if (ex instanceof Invalid invalid) {
            err.println("lethe: " + invalid.getMessage());
            if (json) {
                out.println(
                        Output.toJson(
                                problem("invalid-input", "Invalid input", invalid.getMessage())));
            }
            return Exit.REFUSED;
        }
        err.println("lethe: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        if (json) {
            out.println(
                    Output.toJson(
                            problem(
                                    "client-error",
                                    "Unexpected error in lethe",
                                    String.valueOf(ex.getMessage()))));
        }
        return Exit.UNREACHABLE;
    }

    private static Map<String, Object> problem(String code, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", title);
        problem.put("detail", detail);
        problem.put("code", code);
        return problem;
    }

    /** The server answered a 4xx problem. */
    static final class Refused extends RuntimeException {
        private final transient Object problem;

        Refused(String message, Object problem) {
            super(message);
            this.problem = problem;
        }

        Object problem() {
            return problem;
        }
    }

    /** No answer, or only 5xx answers, after the retries. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** The wait ended before the operation or batch did; {@code last} is what was seen last. */
    static final class TimedOut extends RuntimeException {
        private final transient Object last;

        TimedOut(String message, Object last) {
            super(message);
            this.last = last;
        }

        Object last() {
            return last;
        }
    }

    /** Input lethe itself refuses (an unreadable file, say) before asking the server. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }
}
