package io.lethe.admission;

import io.lethe.admission.AdmissionProblems.DeviceDecommissioned;
import io.lethe.admission.AdmissionProblems.DeviceFrozen;
import io.lethe.admission.AdmissionProblems.FinalAttemptRefused;
import io.lethe.admission.AdmissionProblems.HostKeyUnsupported;
import io.lethe.admission.AdmissionProblems.InvalidationUnsupported;
import io.lethe.admission.AdmissionProblems.MethodNotAllowed;
import io.lethe.admission.AdmissionProblems.PassphraseRequired;
import io.lethe.backend.EraseMethod;
import io.lethe.backend.HostBackend;
import io.lethe.backend.UnlockKey;
import io.lethe.device.DeviceBusy;
import io.lethe.device.DeviceKind;
import io.lethe.device.DeviceStatus;
import io.lethe.device.DeviceView;
import io.lethe.device.SecurityState;
import io.lethe.engine.OperationType;
import io.lethe.host.HostView;

/**
 * The refusals an operation request meets (README, "How an operation runs"), checked at request
 * time on what Lethe knows and again by the {@code precheck} step on what the hardware reports.
 */
public final class Prechecks {

    private Prechecks() {}

    /**
     * An unlock with the host's own key needs a backend that keeps host keys ({@link
     * HostBackend#keepsHostKeys}: the host agent reads the sealed blob ndctl keeps on the host;
     * whether it may, for the device, the agent's own configuration says).
     */
    public static void refuseHostKey(UnlockKey key, HostView host, HostBackend backend) {
        if (key == UnlockKey.HOST_KEY && !backend.keepsHostKeys()) {
            throw new HostKeyUnsupported(host.name(), host.backend().type().wire());
        }
    }

    /**
     * What a request asks of a device, as the request-time checks read it.
     *
     * @param master whether a passphrase erase is to use the master passphrase
     * @param allowFinalAttempt whether an unlock may spend the device's last attempt
     */
    public record Asked(
            OperationType type,
            EraseMethod method,
            boolean master,
            String passphrase,
            boolean allowFinalAttempt) {

        /** Never the passphrase: only whether one was given. */
        @Override
        public String toString() {
            return "Asked[type="
                    + type
                    + ", method="
                    + method
                    + ", master="
                    + master
                    + ", passphrase="
                    + (passphrase == null ? "none" : "given")
                    + ", allowFinalAttempt="
                    + allowFinalAttempt
                    + "]";
        }
    }

    /** Refuses, with the problem a client sees, what Lethe can tell is refused before it starts. */
    public static void refuseAtRequest(Asked asked, DeviceView device, HostView host) {
        OperationType type = asked.type();
        EraseMethod method = asked.method();
        String id = device.id().toString();
        if (device.status() == DeviceStatus.DECOMMISSIONED) {
            throw new DeviceDecommissioned(id);
        }
        if (device.status() == DeviceStatus.BUSY) {
            throw new DeviceBusy(id);
        }
        if (device.status() == DeviceStatus.QUARANTINED && type == OperationType.UNLOCK_DEVICE) {
            throw new MethodNotAllowed(
                    "Device "
                            + id
                            + " is quarantined: only a secure erase or a decommission returns it");
        }
        if (method != null
                && method.needsPassphrase()
                && (asked.passphrase() == null || asked.passphrase().isEmpty())) {
            throw new PassphraseRequired(method.wire());
        }
        if (!host.canInvalidateCaches()) {
            throw new InvalidationUnsupported(host.name());
        }
        String refusal =
                refusal(type, device.kind(), device.securityState(), method, asked.master());
        if (refusal != null) {
            throw refusal.startsWith("frozen:")
                    ? new DeviceFrozen(id, device.securityState().wire())
                    : new MethodNotAllowed(refusal);
        }
        if (type == OperationType.UNLOCK_DEVICE
                && device.unlockAttemptsLeft() != null
                && device.unlockAttemptsLeft() <= 1
                && !asked.allowFinalAttempt()) {
            throw new FinalAttemptRefused(id);
        }
    }

    /**
     * Why the device's security state forbids the operation, or null when it allows it. A reason
     * starting with {@code frozen:} means the device refuses every security command. Lethe does not
     * know whether a device's master passphrase is enabled (no kernel interface reports it), so a
     * passphrase erase with it is left to the device.
     */
    public static String refusal(
            OperationType type,
            DeviceKind kind,
            SecurityState state,
            EraseMethod method,
            boolean master) {
        if (state == SecurityState.FROZEN || state == SecurityState.PASSPHRASE_LIMIT) {
            return "frozen: the device is " + state.wire();
        }
        if (state == SecurityState.SANITIZING) {
            return "the device is sanitizing; wait until it ends";
        }
        if (type == OperationType.UNLOCK_DEVICE) {
            return state == SecurityState.LOCKED
                    ? null
                    : "unlock needs a locked device; it is " + state.wire();
        }
        if (!method.supports(kind)) {
            return "the " + method.wire() + " method does not apply to a " + kind.wire();
        }
        return switch (method) {
            case SANITIZE ->
                    state == SecurityState.DISABLED
                            ? null
                            : "sanitize is refused while a passphrase is set (the device is "
                                    + state.wire()
                                    + "); use passphrase-erase";
            // The kernel refuses CXL Secure Erase, like Sanitize, while a user passphrase is set,
            // locked or not (drivers/cxl/core/mbox.c __cxl_mem_sanitize(): -EINVAL; Debian
            // 6.12.118, docs/kernel.md).
            case SECURE_ERASE ->
                    state == SecurityState.DISABLED
                            ? null
                            : "secure erase is refused while a passphrase is set (the device is "
                                    + state.wire()
                                    + "); use passphrase-erase";
            // With a passphrase set the DIMM asks for it at an overwrite (nfit_test's
            // nd_intel_test_cmd_overwrite(): INVALID_PASS, the kernel's EINVAL; Debian 6.12.118),
            // and Lethe gives an overwrite none: refused before anything reaches the device.
            case OVERWRITE ->
                    switch (state) {
                        case LOCKED ->
                                "the device is locked; unlock it first or use passphrase-erase";
                        case UNLOCKED ->
                                "overwrite is refused while a passphrase is set (the device is"
                                        + " unlocked): Lethe sends an overwrite no passphrase; use"
                                        + " passphrase-erase";
                        default -> null;
                    };
            // The master passphrase erases a device with no user passphrase too: the kernel asks
            // only that the master's be enabled (drivers/nvdimm/security.c security_erase(), Debian
            // 6.12.118), and KernelIT's nfit_test DIMM erases so.
            case PASSPHRASE_ERASE ->
                    state == SecurityState.DISABLED && !master
                            ? "passphrase-erase needs a passphrase set on the device; it has none"
                                    + " (or master: true with its master passphrase)"
                            : null;
        };
    }
}
