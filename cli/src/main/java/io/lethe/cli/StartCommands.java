package io.lethe.cli;

import io.lethe.client.api.OperationsApi;
import io.lethe.client.model.EraseRequest;
import io.lethe.client.model.Operation;
import io.lethe.client.model.UnlockRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that start an operation on one device, and optionally wait for it to end. */
final class StartCommands {

    private StartCommands() {}

    /** --wait, --timeout and the idempotency key every starting command takes. */
    abstract static class Starting extends Base {
        @Parameters(index = "0", paramLabel = "DEVICE", description = "The device's id")
        String device;

        @Option(
                names = "--wait",
                description = "Wait until the operation ends; the exit code says how it ended")
        boolean wait;

        @Option(
                names = "--timeout",
                defaultValue = "2h",
                converter = Durations.class,
                description =
                        "How long --wait waits (default: ${DEFAULT-VALUE}; 90m, 30s, PT2H ...)")
        Duration timeout;

        @Option(
                names = "--idempotency-key",
                description =
                        "Sent as Idempotency-Key: the same key never starts a second "
                                + "operation (default: a new one per run)")
        String idempotencyKey;

        abstract Operation start(OperationsApi operations, String key)
                throws io.lethe.client.ApiException;

        @Override
        public Integer call() {
            OperationsApi operations = new OperationsApi(server().client());
            String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
            Operation op = server().call(() -> start(operations, key));
            if (!wait) {
                out().one(op);
                return Exit.SUCCEEDED;
            }
            Operation ended = Waiting.operation(server(), op, timeout, progress());
            out().one(ended);
            if (ended.getState() != Operation.StateEnum.SUCCEEDED) {
                stderr().println(
                                "lethe: operation "
                                        + ended.getId()
                                        + " "
                                        + ended.getState().getValue()
                                        + (ended.getError() == null
                                                ? ""
                                                : ": " + ended.getError()));
                return Exit.FAILED;
            }
            return Exit.SUCCEEDED;
        }

        /**
         * The --method value as the generated client's enum, or a refusal that lists the methods.
         */
        static <M> M method(String value, java.util.function.Function<String, M> fromValue) {
            try {
                return fromValue.apply(value);
            } catch (IllegalArgumentException e) {
                throw new Failures.Invalid(
                        "--method must be sanitize, secure-erase, passphrase-erase or overwrite, was '"
                                + value
                                + "'");
            }
        }

        /**
         * A passphrase from a file (first line) or $LETHE_PASSPHRASE; never from an argument, which
         * ps would show.
         */
        static String passphrase(Path file) {
            if (file != null) {
                try {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    int newline = text.indexOf('\n');
                    return (newline < 0 ? text : text.substring(0, newline)).replace("\r", "");
                } catch (java.io.IOException e) {
                    throw new Failures.Invalid(
                            "cannot read the passphrase file "
                                    + file
                                    + ": "
                                    + e.getClass().getSimpleName());
                }
            }
            String env = System.getenv("LETHE_PASSPHRASE");
            return env == null || env.isEmpty() ? null : env;
        }
    }

    /** Secure erase or decommission: method, reason and (for passphrase-erase) the passphrase. */
    abstract static class Erasing extends Starting {
        @Option(
                names = "--method",
                required = true,
                description = "sanitize, secure-erase, passphrase-erase or overwrite")
        String method;

        @Option(
                names = "--reason",
                description = "Why; kept in the audit trail and the certificate")
        String reason;

        @Option(
                names = "--passphrase-file",
                description =
                        "For passphrase-erase: a file whose first line is the "
                                + "passphrase (default: $LETHE_PASSPHRASE)")
        Path passphraseFile;

        @Option(
                names = "--master",
                description = "For passphrase-erase: the passphrase is the master passphrase")
        boolean master;

        EraseRequest request() {
            EraseRequest.MethodEnum m = method(method, EraseRequest.MethodEnum::fromValue);
            EraseRequest request = new EraseRequest().method(m).reason(reason);
            if (m == EraseRequest.MethodEnum.PASSPHRASE_ERASE) {
                request.passphrase(passphrase(passphraseFile)).master(master);
            }
            return request;
        }
    }

    @Command(name = "erase", description = "Securely erase a device (secure-erase operation)")
    static final class Erase extends Erasing {
        @Override
        Operation start(OperationsApi operations, String key) throws io.lethe.client.ApiException {
            return operations.startSecureErase(device, request(), key);
        }
    }

    @Command(name = "decommission", description = "Erase a device and retire it for good")
    static final class Decommission extends Erasing {
        @Override
        Operation start(OperationsApi operations, String key) throws io.lethe.client.ApiException {
            return operations.startDecommission(device, request(), key);
        }
    }

    @Command(
            name = "unlock",
            description =
                    "Unlock a device with its passphrase (from --passphrase-file or $LETHE_PASSPHRASE),"
                            + " or with --host-key, the host's own key that ndctl sealed there")
    static final class Unlock extends Starting {
        @Option(
                names = "--host-key",
                description =
                        "Unlock with the host's own sealed key (host agents that enable it for the"
                                + " device); no passphrase is sent")
        boolean hostKey;

        @Option(
                names = "--passphrase-file",
                description =
                        "A file whose first line is the passphrase (default: $LETHE_PASSPHRASE)")
        Path passphraseFile;

        @Option(
                names = "--allow-final-attempt",
                description =
                        "Try even when one attempt is left (a wrong one locks the device for good)")
        boolean allowFinalAttempt;

        @Option(names = "--reason", description = "Why; kept in the audit trail")
        String reason;

        @Override
        Operation start(OperationsApi operations, String key) throws io.lethe.client.ApiException {
            if (hostKey) {
                if (passphraseFile != null) {
                    throw new Failures.Invalid(
                            "--host-key takes no passphrase: leave out --passphrase-file");
                }
                return operations.startUnlock(
                        device,
                        new UnlockRequest()
                                .key(UnlockRequest.KeyEnum.HOST_KEY)
                                .allowFinalAttempt(allowFinalAttempt)
                                .reason(reason),
                        key);
            }
            String passphrase = passphrase(passphraseFile);
            if (passphrase == null) {
                throw new Failures.Invalid(
                        "unlock needs a passphrase: --passphrase-file FILE or $LETHE_PASSPHRASE"
                                + " (or --host-key)");
            }
            return operations.startUnlock(
                    device,
                    new UnlockRequest()
                            .passphrase(passphrase)
                            .allowFinalAttempt(allowFinalAttempt)
                            .reason(reason),
                    key);
        }
    }
}
