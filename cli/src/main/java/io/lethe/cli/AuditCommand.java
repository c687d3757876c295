package io.lethe.cli;

import io.lethe.client.api.AuditApi;
import io.lethe.client.model.AuditVerification;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lethe audit}: read the audit trail, save its signed checkpoints, verify its hash chain (on
 * the server, or here against saved checkpoints and pinned keys).
 */
@Command(
        name = "audit",
        description = "List audit records, or verify the audit chain",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Checkpoints.class})
final class AuditCommand extends Inventory.Listing {

    @Option(names = "--operation", description = "Only this operation's records")
    String operation;

    @Option(names = "--device", description = "Only this device's records")
    String device;

    @Option(
            names = "--from",
            description = "From this instant (ISO-8601, e.g. 2026-11-30T00:00:00Z)")
    OffsetDateTime from;

    @Option(names = "--to", description = "Before this instant (ISO-8601)")
    OffsetDateTime to;

    @Override
    public Integer call() {
        AuditApi audit = new AuditApi(server().client());
        out().page(
                        server().call(
                                        () ->
                                                audit.listAuditRecords(
                                                        device, operation, from, to, limit,
                                                        cursor)),
                        List.of("seq", "at", "actor", "action", "step", "outcome", "detail"));
        return Exit.SUCCEEDED;
    }

    @Command(
            name = "verify",
            description = {
                "Verify the audit chain; exit 1 when it is broken.",
                "Without --checkpoints the server walks its chain and answers. With --checkpoints and"
                        + " --trusted-keys the check runs here, trusting nothing the server says about"
                        + " itself: the export must hash record by record and pass through every saved"
                        + " checkpoint, each signed by a pinned key (or one its rotations endorsed)."
            })
    static final class Verify extends Base {

        @Option(
                names = "--checkpoints",
                paramLabel = "FILE",
                description = "Checkpoints saved earlier (lethe audit checkpoints --save FILE)")
        Path checkpoints;

        @Option(
                names = "--trusted-keys",
                paramLabel = "FILE",
                description = "PEM public keys pinned outside Lethe's database")
        Path trustedKeys;

        @Override
        public Integer call() {
            if ((checkpoints == null) != (trustedKeys == null)) {
                throw new Failures.Invalid("--checkpoints and --trusted-keys go together");
            }
            if (checkpoints == null) {
                AuditVerification result =
                        server().call(() -> new AuditApi(server().client()).verifyAuditChain());
                out().one(result);
                return Boolean.TRUE.equals(result.getIntact()) ? Exit.SUCCEEDED : Exit.FAILED;
            }
            return new LocalAudit(server(), stdout(), stderr()).verify(checkpoints, trustedKeys);
        }
    }

    @Command(
            name = "checkpoints",
            description =
                    "Append the server's newer signed checkpoints to a file of your own (JSON Lines),"
                            + " for lethe audit verify --checkpoints")
    static final class Checkpoints extends Base {

        @Option(
                names = "--save",
                required = true,
                paramLabel = "FILE",
                description = "The file to append to; created when missing")
        Path save;

        @Override
        public Integer call() {
            int added = new LocalAudit(server(), stdout(), stderr()).save(save);
            stdout().println(added + " new checkpoint(s) appended to " + save);
            return Exit.SUCCEEDED;
        }
    }
}
