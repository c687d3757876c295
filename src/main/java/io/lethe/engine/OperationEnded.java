package io.lethe.engine;

import io.lethe.audit.AuditRef;
import io.lethe.device.DeviceHoldEnded;
import io.lethe.device.DeviceStatus;
import io.lethe.host.BackendType;
import io.lethe.region.RegionHoldEnded;
import java.util.UUID;

/**
 * Published, synchronously, inside the transaction that ends an operation, after its closing audit
 * record was appended: a listener's writes commit with the end or not at all, and a listener that
 * throws rolls the end back (the step is recorded again later). The device module releases the
 * device and the region module lets go of the region as its listeners (it is their {@link
 * DeviceHoldEnded} and {@link RegionHoldEnded}); the certificate is signed and the operation
 * counted by others.
 *
 * @param operation the operation as it ended
 * @param backend the backend fixed when it was requested (null for an attach-region operation)
 * @param simulated whether that backend only simulates hardware
 * @param closingRecord the audit record of the end, not yet chained
 * @param deviceLeft the status the operation leaves its device in
 * @param recommit how the region decodes again when the operation changed no member's memory, or
 *     null to leave it detached
 */
public record OperationEnded(
        OperationView operation,
        BackendType backend,
        boolean simulated,
        AuditRef closingRecord,
        DeviceStatus deviceLeft,
        RegionHoldEnded.Recommit recommit)
        implements DeviceHoldEnded, RegionHoldEnded {

    @Override
    public UUID deviceId() {
        return operation.deviceId();
    }

    @Override
    public UUID holder() {
        return operation.id();
    }

    @Override
    public UUID regionId() {
        return operation.regionId();
    }
}
