package io.lethe.operation;

import io.lethe.admission.Prechecks;
import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.Backends;
import io.lethe.backend.UnlockKey;
import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationRequest;
import io.lethe.engine.OperationTarget;
import io.lethe.engine.OperationType;
import io.lethe.engine.Operations;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.WorkflowProperties;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import io.lethe.security.UnlockThrottle;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Creates an operation in the caller's transaction: the request-time refusals first (nothing is
 * written before them), then the aggregate with its backend fixed, the passphrase held in this
 * replica's memory only, the device held and the request audited. Unlocks count against the hourly
 * limits only when they start: a replayed or refused request spends no attempt.
 */
@Component
class OperationCreator {

    private final Operations operations;
    private final DeviceService devices;
    private final AuditLog audit;
    private final UnlockThrottle unlockThrottle;
    private final PassphraseVault vault;
    private final Backends backends;
    private final WorkflowProperties properties;
    private final Clock clock;

    OperationCreator(
            Operations operations,
            DeviceService devices,
            AuditLog audit,
            UnlockThrottle unlockThrottle,
            PassphraseVault vault,
            Backends backends,
            WorkflowProperties properties,
            Clock clock) {
        this.operations = operations;
        this.devices = devices;
        this.audit = audit;
        this.unlockThrottle = unlockThrottle;
        this.vault = vault;
        this.backends = backends;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The operation, created and stored (not yet scheduled). {@code throttleScope}: whose hourly
     * unlock limit counts it (the actor's token; null for a batch, whose unlocks count per device).
     */
    Operation create(
            StartOperation command,
            DeviceView device,
            HostView host,
            RegionView region,
            UUID batchId,
            String throttleScope) {
        boolean unlock = command.type() == OperationType.UNLOCK_DEVICE;
        if (unlock) {
            unlockThrottle.refuse(device.id(), throttleScope);
        }
        Prechecks.refuseHostKey(command.unlockKey(), host, backends.forHost(host));
        Prechecks.refuseAtRequest(
                new Prechecks.Asked(
                        command.type(),
                        command.method(),
                        command.master(),
                        command.passphrase(),
                        command.allowFinalAttempt()),
                device,
                host);
        UUID id = Ids.newId();
        Operation fresh =
                new Operation(
                        id,
                        command.type(),
                        new OperationTarget(
                                device.id(),
                                host.id(),
                                region == null ? null : region.id(),
                                batchId,
                                device.status()),
                        OperationRequest.because(command.reason())
                                .erasing(command.method())
                                .unlocking(
                                        command.unlockKey(),
                                        command.master(),
                                        command.allowFinalAttempt())
                                .performedBy(
                                        host.backend().type(), backends.forHost(host).simulated()),
                        command.actor(),
                        clock.instant(),
                        clock.instant().plus(properties.operationDeadline()));
        if (command.passphrase() != null) {
            // never in the database: only in this replica's memory, until the operation ends
            vault.hold(id, command.passphrase());
        }
        devices.hold(device.id(), id);
        // An assigned id makes save() a merge: go on with the managed copy it returns.
        Operation operation = operations.store(fresh);
        audit.append(
                new AuditEntry(
                        command.actor(),
                        "requested",
                        id,
                        device.id(),
                        host.id(),
                        null,
                        null,
                        command.type().wire()
                                + (command.method() == null ? "" : " by " + command.method().wire())
                                + (command.unlockKey() == UnlockKey.HOST_KEY
                                        ? " with the host's key"
                                        : "")
                                + (command.reason() == null ? "" : ": " + command.reason())));
        if (unlock) {
            unlockThrottle.tried(device.id(), throttleScope);
        }
        return operation;
    }
}
