package io.lethe.operation;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.common.Ids;
import io.lethe.device.DeviceService;
import io.lethe.device.DeviceView;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationRequest;
import io.lethe.engine.OperationTarget;
import io.lethe.engine.OperationType;
import io.lethe.engine.Operations;
import io.lethe.engine.WorkflowProperties;
import io.lethe.region.RegionDeclared;
import io.lethe.region.RegionService;
import io.lethe.security.Actors;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts the {@code attach-region} operation of a region declared through the API, in the
 * declaration's transaction: the region row, the operation, its hold of the region, the audit
 * record and the first scheduled step commit together, or none of them. The operation is recorded
 * against the region's first member but holds no device: an erase or unlock of a member may start
 * meanwhile, and the region's one commit path decides who commits it.
 */
@Component
class RegionAttachments {

    private final Operations operations;
    private final DeviceService devices;
    private final RegionService regions;
    private final AuditLog audit;
    private final Clock clock;
    private final WorkflowProperties properties;

    RegionAttachments(
            Operations operations,
            DeviceService devices,
            RegionService regions,
            AuditLog audit,
            Clock clock,
            WorkflowProperties properties) {
        this.operations = operations;
        this.devices = devices;
        this.regions = regions;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(RegionDeclared declared) {
        if (!declared.attachWanted()) {
            return;
        }
        DeviceView first = devices.get(declared.deviceIds().get(0));
        UUID id = Ids.newId();
        Instant now = clock.instant();
        String actor = Actors.current();
        OperationType type = OperationType.ATTACH_REGION_AFTER_DECLARATION;
        Operation fresh =
                new Operation(
                        id,
                        type,
                        new OperationTarget(
                                first.id(),
                                declared.hostId(),
                                declared.regionId(),
                                null,
                                first.status()),
                        OperationRequest.attach("declared", declared.exposedUntil()),
                        actor,
                        now,
                        now.plus(properties.operationDeadline()));
        Operation operation = operations.store(fresh);
        regions.attachBy(declared.regionId(), id);
        audit.append(
                new AuditEntry(
                        actor,
                        "requested",
                        id,
                        first.id(),
                        declared.hostId(),
                        null,
                        null,
                        type.wire()
                                + " of region "
                                + declared.regionId()
                                + (declared.exposedUntil() == null
                                        ? ""
                                        : ", after an invalidation numbered after host order "
                                                + declared.exposedUntil())));
        operations.startNow(operation);
    }
}
