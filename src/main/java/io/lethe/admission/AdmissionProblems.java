package io.lethe.admission;

import io.lethe.common.LetheProblem;

/** Refusals of operations the device, host or region does not allow now, named as facts. */
final class AdmissionProblems {

    private AdmissionProblems() {}

    static final class DeviceFrozen extends LetheProblem.Conflict {
        DeviceFrozen(String deviceId, String state) {
            super(
                    "Device frozen",
                    "Device "
                            + deviceId
                            + " is "
                            + state
                            + ": it refuses security commands until it is reset");
        }
    }

    static final class InvalidationUnsupported extends LetheProblem.Conflict {
        InvalidationUnsupported(String hostName) {
            super(
                    "Cache invalidation unsupported",
                    "Host '"
                            + hostName
                            + "' cannot invalidate its CPU caches "
                            + "(virtualized, or not yet confirmed bare metal); Lethe erases and unlocks nothing there");
        }
    }

    static final class HostKeyUnsupported extends LetheProblem.Conflict {
        HostKeyUnsupported(String hostName, String backend) {
            super(
                    "Host key unsupported",
                    "Host '"
                            + hostName
                            + "' runs the "
                            + backend
                            + " backend, which keeps no host keys: only a host agent loads the host's own"
                            + " sealed key; unlock with a passphrase");
        }
    }

    static final class DeviceDecommissioned extends LetheProblem.Conflict {
        DeviceDecommissioned(String deviceId) {
            super("Device decommissioned", "Device " + deviceId + " is decommissioned");
        }
    }

    static final class MethodNotAllowed extends LetheProblem.Conflict {
        MethodNotAllowed(String detail) {
            super("Not allowed in the device's state", detail);
        }
    }

    static final class FinalAttemptRefused extends LetheProblem.Conflict {
        FinalAttemptRefused(String deviceId) {
            super(
                    "Final unlock attempt refused",
                    "Device "
                            + deviceId
                            + " has one unlock attempt left; a wrong passphrase "
                            + "would lock it for good. Repeat with \"allowFinalAttempt\": true to use it");
        }
    }

    static final class PassphraseRequired extends LetheProblem.BadRequest {
        PassphraseRequired(String method) {
            super(
                    "passphrase",
                    "Passphrase required",
                    "passphrase: the " + method + " method needs the device's passphrase");
        }
    }
}
