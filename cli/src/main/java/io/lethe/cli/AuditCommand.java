package io.lethe.cli;

import io.lethe.client.api.AuditApi;
import io.lethe.client.model.AuditVerification;
import java.time.OffsetDateTime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lethe audit}: read the audit trail, or have the server verify its hash chain. */
@Command(
        name = "audit",
        description = "List audit records, or verify the audit chain",
        subcommands = AuditCommand.Verify.class)
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
            description = "Have the server verify the whole hash chain; exit 1 when it is broken")
    static final class Verify extends Base {
        @Override
        public Integer call() {
            AuditVerification result =
                    server().call(() -> new AuditApi(server().client()).verifyAuditChain());
            out().one(result);
            return Boolean.TRUE.equals(result.getIntact()) ? Exit.SUCCEEDED : Exit.FAILED;
        }
    }
}
