package io.lethe.engine;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend;
import io.lethe.backend.UnlockKey;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.host.HostView;
import io.lethe.region.RegionView;
import java.time.Instant;
import java.util.UUID;

/**
 * An operation held in memory for a step's test, its step context, and what its steps recorded: the
 * door a step's effects write through ({@link StepRecords}) and the ledger read back, which the
 * engine keeps to itself.
 */
public final class OperationFixtures {

    private OperationFixtures() {}

    /** A queued operation of this type on the device, never stored. */
    public static Operation operation(
            OperationType type, DeviceView device, RegionView region, EraseMethod method) {
        Instant now = Instant.now();
        return new Operation(
                UUID.randomUUID(),
                type,
                new OperationTarget(
                        device.id(),
                        device.hostId(),
                        region == null ? null : region.id(),
                        null,
                        DeviceStatus.AVAILABLE),
                OperationRequest.because(null)
                        .erasing(method)
                        .unlocking(
                                type == OperationType.UNLOCK_DEVICE ? UnlockKey.PASSPHRASE : null,
                                false,
                                false)
                        .performedBy(null, true),
                "step-test",
                now,
                now.plusSeconds(3600));
    }

    /** The context the engine would hand the step now running, with this backend. */
    public static StepHandler.StepContext context(
            Operation op,
            StepName step,
            HostView host,
            DeviceView device,
            RegionView region,
            HostBackend backend,
            Instant stepStartedAt) {
        return StepContexts.context(op, step, stepStartedAt, host, device, region, backend);
    }

    public static StepRecords records(Operation op) {
        return new StepRecords(op);
    }

    public static Long mediaChangeSeq(Operation op) {
        return op.ledger().mediaChangeSeq();
    }

    public static Long invalidationSeq(Operation op) {
        return op.ledger().invalidationSeq();
    }

    public static String verifyEvidence(Operation op) {
        return op.ledger().verifyEvidence();
    }
}
