package io.lethe.steps;

import io.lethe.admission.Prechecks;
import io.lethe.backend.HostBackend.DeviceReading;
import io.lethe.device.DeviceService;
import io.lethe.engine.OperationType;
import io.lethe.engine.StepHandler;
import io.lethe.engine.StepName;
import org.springframework.stereotype.Component;

/**
 * Checks again, on what the hardware reports now, everything the request was checked for; then,
 * before an erase, takes the evidence {@code verify} will compare against.
 */
@Component
class PrecheckStep implements StepHandler {

    private final DeviceService devices;

    PrecheckStep(DeviceService devices) {
        this.devices = devices;
    }

    /** A wave's members on one host reach it in one exchange. */
    @Override
    public Grouping grouping() {
        return Grouping.HOST;
    }

    @Override
    public StepName step() {
        return StepName.PRECHECK;
    }

    @Override
    public StepResult run(StepContext c) {
        DeviceReading reading = c.backend().readDevice(c.host(), c.device());
        Effects mirror =
                records ->
                        devices.recordSecurity(
                                c.device().id(),
                                reading.securityState(),
                                reading.unlockAttemptsLeft());
        if (!c.host().canInvalidateCaches()) {
            return new StepResult.Fail(
                    "host '" + c.host().name() + "' cannot invalidate its CPU caches", mirror);
        }
        String refusal =
                Prechecks.refusal(
                        c.type(),
                        c.device().kind(),
                        reading.securityState(),
                        c.method(),
                        c.master());
        if (refusal != null) {
            return new StepResult.Fail(refusal, mirror);
        }
        if (c.type() == OperationType.UNLOCK_DEVICE) {
            Integer left = reading.unlockAttemptsLeft();
            if (left != null && left <= 1 && !c.allowFinalAttempt()) {
                return new StepResult.Fail(
                        "one unlock attempt left and allowFinalAttempt not given", mirror);
            }
            return new StepResult.Done("device is " + reading.securityState().wire(), mirror);
        }
        String evidence = VerifyEvidence.take(c);
        return new StepResult.Done(
                "device is " + reading.securityState().wire() + "; verification evidence taken",
                records -> {
                    mirror.apply(records);
                    records.verifyEvidence(evidence);
                });
    }
}
