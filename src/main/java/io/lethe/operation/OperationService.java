package io.lethe.operation;

import io.lethe.admission.EraseAdmission;
import io.lethe.admission.Prechecks;
import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.Backends;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationRepository;
import io.lethe.engine.OperationScheduler;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.OperationView;
import io.lethe.engine.PassphraseVault;
import io.lethe.engine.WorkflowProperties;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.operation.OperationProblems.IdempotencyKeyReused;
import io.lethe.operation.OperationProblems.OperationNotFound;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import io.lethe.security.SecretCipher;
import io.lethe.security.UnlockThrottle;
import jakarta.persistence.criteria.Predicate;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts operation requests: refuses the obvious cases at once, then creates the operation, holds
 * the device, records the request and schedules the first step in one transaction.
 */
@Service
public class OperationService {

    private final OperationRepository operations;
    private final DeviceService devices;
    private final HostService hosts;
    private final RegionService regions;
    private final AuditLog audit;
    private final OperationScheduler scheduler;
    private final SecretCipher cipher;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final UnlockThrottle unlockThrottle;
    private final EraseAdmission admission;
    private final WorkflowProperties properties;

    private final PassphraseVault vault;
    private final Backends backends;

    OperationService(
            OperationRepository operations,
            DeviceService devices,
            HostService hosts,
            RegionService regions,
            AuditLog audit,
            OperationScheduler scheduler,
            SecretCipher cipher,
            JdbcTemplate jdbc,
            Clock clock,
            UnlockThrottle unlockThrottle,
            EraseAdmission admission,
            WorkflowProperties properties,
            PassphraseVault vault,
            Backends backends) {
        this.backends = backends;
        this.vault = vault;
        this.properties = properties;
        this.unlockThrottle = unlockThrottle;
        this.admission = admission;
        this.operations = operations;
        this.devices = devices;
        this.hosts = hosts;
        this.regions = regions;
        this.audit = audit;
        this.scheduler = scheduler;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Result of a start: the operation, and whether an earlier request with the same key created
     * it.
     */
    record Started(OperationView operation, boolean replayed) {}

    @Transactional
    Started start(
            OperationType type,
            String deviceIdText,
            EraseMethod method,
            boolean master,
            boolean allowFinalAttempt,
            String reason,
            String passphrase,
            UnlockKey unlockKey,
            String idempotencyKey,
            String requestFingerprint,
            String actor) {
        DeviceView device = devices.get(deviceIdText);
        String mac = null;
        if (idempotencyKey != null) {
            // Keys belong to the caller's token, and the fingerprint leaves secrets out: a key
            // learnt from another pipeline says nothing, and a replay cannot be used to test
            // passphrases.
            mac = cipher.mac(type.wire() + "|" + device.id() + "|" + requestFingerprint);
            Timestamp oldest =
                    Timestamp.from(clock.instant().minus(properties.idempotencyKeyTtl()));
            jdbc.update("delete from idempotency_keys where created_at < ?", oldest);
            var earlier =
                    jdbc.queryForList(
                            "select request_mac, operation_id from idempotency_keys where scope = ? and idem_key = ?",
                            actor,
                            idempotencyKey);
            if (!earlier.isEmpty()) {
                if (!mac.equals(earlier.get(0).get("request_mac"))) {
                    throw new IdempotencyKeyReused();
                }
                return new Started(get((UUID) earlier.get(0).get("operation_id")), true);
            }
        }
        throttle(type, device, actor);
        OperationView created =
                create(
                        type,
                        device,
                        method,
                        master,
                        allowFinalAttempt,
                        reason,
                        passphrase,
                        unlockKey,
                        actor);
        tried(type, device, actor);
        if (idempotencyKey != null) {
            jdbc.update(
                    "insert into idempotency_keys (scope, idem_key, request_mac, operation_id, created_at) values (?, ?, ?, ?, ?)",
                    actor,
                    idempotencyKey,
                    mac,
                    created.id(),
                    Timestamp.from(clock.instant()));
        }
        return new Started(created, false);
    }

    /**
     * Refuses an unlock past the hourly limits. Only unlocks that start count (see {@link #tried}):
     * a replayed request, or one refused because the device is busy, spends no attempt.
     */
    private void throttle(OperationType type, DeviceView device, String actor) {
        if (type == OperationType.UNLOCK_DEVICE) {
            unlockThrottle.refuse(device.id(), actor);
        }
    }

    private void tried(OperationType type, DeviceView device, String actor) {
        if (type == OperationType.UNLOCK_DEVICE) {
            unlockThrottle.tried(device.id(), actor);
        }
    }

    private OperationView create(
            OperationType type,
            DeviceView device,
            EraseMethod method,
            boolean master,
            boolean allowFinalAttempt,
            String reason,
            String passphrase,
            UnlockKey unlockKey,
            String actor) {
        HostView host = hosts.get(device.hostId());
        Operation operation =
                create(
                        type,
                        device,
                        host,
                        regions.findByDevice(device.id()).orElse(null),
                        method,
                        master,
                        allowFinalAttempt,
                        reason,
                        passphrase,
                        unlockKey,
                        actor,
                        null);
        scheduler.next(operation, clock.instant());
        return operation.view();
    }

    /**
     * Creates one operation of a batch, in the caller's transaction, and leaves scheduling it to
     * the caller (a batch's operations on one host start as one wave); the request-time refusals
     * throw before anything is written (no transactional proxy here: a refusal must not mark the
     * caller's transaction for rollback).
     */
    public Operation createInBatch(
            UUID batchId,
            OperationType type,
            DeviceView device,
            HostView host,
            RegionView region,
            EraseMethod method,
            String reason,
            String passphrase,
            String actor) {
        // a batch's unlocks count per device, not against its token: a rack's batch is one request
        throttle(type, device, null);
        Operation created =
                create(
                        type,
                        device,
                        host,
                        region,
                        method,
                        false,
                        false,
                        reason,
                        passphrase,
                        type == OperationType.UNLOCK_DEVICE ? UnlockKey.PASSPHRASE : null,
                        actor,
                        batchId);
        tried(type, device, null);
        return created;
    }

    private Operation create(
            OperationType type,
            DeviceView device,
            HostView host,
            RegionView region,
            EraseMethod method,
            boolean master,
            boolean allowFinalAttempt,
            String reason,
            String passphrase,
            UnlockKey unlockKey,
            String actor,
            UUID batchId) {
        Prechecks.refuseHostKey(unlockKey, host);
        Prechecks.refuseAtRequest(type, device, host, method, passphrase, allowFinalAttempt);
        UUID id = Ids.newId();
        Operation fresh =
                new Operation(
                        id,
                        type,
                        device.id(),
                        host.id(),
                        region == null ? null : region.id(),
                        device.status(),
                        new Operation.Request(method, master, allowFinalAttempt, reason, null),
                        actor,
                        clock.instant(),
                        clock.instant().plus(properties.operationDeadline()));
        fresh.performedBy(host.backend().type(), backends.forHost(host).simulated());
        if (unlockKey != null) {
            fresh.unlockWith(unlockKey);
        }
        if (passphrase != null) {
            // never in the database: only in this replica's memory, until the operation ends
            vault.hold(id, passphrase);
        }
        if (batchId != null) {
            fresh.joinBatch(batchId);
        }
        devices.hold(device.id(), id);
        // An assigned id makes save() a merge: go on with the managed copy it returns.
        Operation operation = operations.save(fresh);
        audit.append(
                new AuditEntry(
                        actor,
                        "requested",
                        id,
                        device.id(),
                        host.id(),
                        null,
                        null,
                        type.wire()
                                + (method == null ? "" : " by " + method.wire())
                                + (unlockKey == UnlockKey.HOST_KEY ? " with the host's key" : "")
                                + (reason == null ? "" : ": " + reason)));
        return operation;
    }

    @Transactional(readOnly = true)
    public OperationView get(UUID id) {
        return operations
                .findById(id)
                .map(this::view)
                .orElseThrow(() -> new OperationNotFound(id.toString()));
    }

    @Transactional(readOnly = true)
    OperationView get(String id) {
        return Ids.parse(id)
                .flatMap(operations::findById)
                .map(this::view)
                .orElseThrow(() -> new OperationNotFound(id));
    }

    private OperationView view(Operation op) {
        return op.awaitingAdmission()
                ? op.view().withQueuePosition(admission.position(op))
                : op.view();
    }

    @Transactional(readOnly = true)
    CursorPage<OperationView> list(
            UUID deviceId, OperationState state, UUID batchId, Keyset keyset) {
        Specification<Operation> spec =
                (root, query, cb) -> {
                    List<Predicate> where = new ArrayList<>();
                    where.add(cb.greaterThan(root.get("id"), keyset.after()));
                    if (deviceId != null) {
                        where.add(cb.equal(root.get("deviceId"), deviceId));
                    }
                    if (state != null) {
                        where.add(cb.equal(root.get("state"), state));
                    }
                    if (batchId != null) {
                        where.add(cb.equal(root.get("batchId"), batchId));
                    }
                    return cb.and(where.toArray(Predicate[]::new));
                };
        List<Operation> rows =
                operations.findBy(
                        spec, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, Operation::id, this::view);
    }

    /**
     * Asks for a cancel. It takes effect at the next step boundary, before the erase or unlock
     * starts: at once when no step is running.
     */
    @Transactional
    OperationView cancel(String idText, String actor) {
        UUID id = Ids.parse(idText).orElseThrow(() -> new OperationNotFound(idText));
        Operation operation = operations.lock(id).orElseThrow(() -> new OperationNotFound(idText));
        try {
            operation.requestCancel(clock.instant());
        } catch (Operation.IllegalTransition e) {
            throw new OperationProblems.CancelTooLate(e.getMessage());
        }
        audit.append(
                new AuditEntry(
                        actor,
                        "cancel-requested",
                        id,
                        operation.deviceId(),
                        operation.hostId(),
                        null,
                        null,
                        null));
        if (!operation.stepInFlight()) {
            scheduler.next(operation, clock.instant());
        }
        return operation.view();
    }

    /**
     * Cancels the operation if its erase or unlock has not started; answers whether it did. Never
     * throws for a refusal, so a batch cancel can go through all its operations in one transaction.
     */
    public boolean cancelIfPossible(UUID id, String actor) {
        Operation operation = operations.lock(id).orElse(null);
        if (operation == null || !operation.cancellable() || operation.cancelRequested()) {
            return false;
        }
        operation.requestCancel(clock.instant());
        audit.append(
                new AuditEntry(
                        actor,
                        "cancel-requested",
                        id,
                        operation.deviceId(),
                        operation.hostId(),
                        null,
                        null,
                        null));
        if (!operation.stepInFlight()) {
            scheduler.next(operation, clock.instant());
        }
        return true;
    }
}
