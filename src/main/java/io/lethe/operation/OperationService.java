package io.lethe.operation;

import io.lethe.admission.EraseAdmission;
import io.lethe.audit.AuditLog;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.IllegalTransition;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationView;
import io.lethe.engine.Operations;
import io.lethe.host.HostService;
import io.lethe.host.HostView;
import io.lethe.operation.OperationProblems.OperationNotFound;
import io.lethe.region.RegionService;
import io.lethe.region.RegionView;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts operation requests: refuses the obvious cases at once, then creates the operation, holds
 * the device, records the request and schedules the first step in one transaction.
 */
@Service
public class OperationService {

    private final Operations operations;
    private final DeviceService devices;
    private final HostService hosts;
    private final RegionService regions;
    private final AuditLog audit;
    private final Clock clock;
    private final EraseAdmission admission;
    private final IdempotencyKeys keys;
    private final OperationCreator creator;

    OperationService(
            Operations operations,
            DeviceService devices,
            HostService hosts,
            RegionService regions,
            AuditLog audit,
            Clock clock,
            EraseAdmission admission,
            IdempotencyKeys keys,
            OperationCreator creator) {
        this.operations = operations;
        this.devices = devices;
        this.hosts = hosts;
        this.regions = regions;
        this.audit = audit;
        this.clock = clock;
        this.admission = admission;
        this.keys = keys;
        this.creator = creator;
    }

    /**
     * Result of a start: the operation, and whether an earlier request with the same key created
     * it.
     */
    record Started(OperationView operation, boolean replayed) {}

    /**
     * Starts the command's operation on the device and schedules its first step; with an
     * idempotency key (scoped to the actor), a repeated request answers the operation the first one
     * created.
     */
    @Transactional
    Started start(String deviceIdText, StartOperation command, String idempotencyKey) {
        DeviceView device = devices.get(deviceIdText);
        String mac = null;
        if (idempotencyKey != null) {
            mac = keys.mac(command, device.id());
            var earlier = keys.earlier(command.actor(), idempotencyKey, mac);
            if (earlier.isPresent()) {
                return new Started(get(earlier.get()), true);
            }
        }
        HostView host = hosts.get(device.hostId());
        Operation operation =
                creator.create(
                        command,
                        device,
                        host,
                        regions.findByDevice(device.id()).orElse(null),
                        null,
                        command.actor());
        operations.startNow(operation);
        if (idempotencyKey != null) {
            keys.remember(command.actor(), idempotencyKey, mac, operation.id());
        }
        return new Started(operation.view(), false);
    }

    /**
     * Creates one operation of a batch, in the caller's transaction, and leaves scheduling it to
     * the caller (a batch's operations on one host start as one wave); the request-time refusals
     * throw before anything is written (no transactional proxy here: a refusal must not mark the
     * caller's transaction for rollback). A batch's unlocks count per device, not against its
     * token: a rack's batch is one request.
     */
    public Operation createInBatch(
            UUID batchId,
            StartOperation command,
            DeviceView device,
            HostView host,
            RegionView region) {
        return creator.create(command, device, host, region, batchId, null);
    }

    @Transactional(readOnly = true)
    public OperationView get(UUID id) {
        return operations
                .find(id)
                .map(this::view)
                .orElseThrow(() -> new OperationNotFound(id.toString()));
    }

    @Transactional(readOnly = true)
    OperationView get(String id) {
        return Ids.parse(id)
                .flatMap(operations::find)
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
        List<Operation> rows =
                operations.page(deviceId, state, batchId, keyset.after(), keyset.fetchSize());
        return CursorPage.of(rows, keyset, Operation::id, this::view);
    }

    /**
     * Asks for a cancel. It takes effect at the next step boundary, before the erase or unlock
     * starts: at once when no step is running.
     *
     * @throws OperationProblems.CancelTooLate when the erase or unlock started, or it ended
     */
    @Transactional
    OperationView cancel(String idText, String actor) {
        UUID id = Ids.parse(idText).orElseThrow(() -> new OperationNotFound(idText));
        try {
            return operations
                    .cancel(id, actor)
                    .orElseThrow(() -> new OperationNotFound(idText))
                    .view();
        } catch (IllegalTransition e) {
            throw new OperationProblems.CancelTooLate(e.getMessage());
        }
    }
}
