package io.lethe.device;

import io.lethe.common.LetheProblem;

/** Refusals of the device inventory, named as facts. */
final class DeviceProblems {

    private DeviceProblems() {}

    static final class DeviceSerialTaken extends LetheProblem.Conflict {
        DeviceSerialTaken(DeviceKind kind, String serial) {
            super(
                    "Device serial taken",
                    "A " + kind.wire() + " with serial '" + serial + "' is already registered");
        }
    }

    static final class InvalidDeviceFilter extends LetheProblem.BadRequest {
        InvalidDeviceFilter(String field, String detail) {
            super(field, "Invalid filter", detail);
        }
    }

    static final class InvalidPassphrase extends LetheProblem.BadRequest {
        InvalidPassphrase(String detail) {
            this("passphrase", detail);
        }

        InvalidPassphrase(String field, String detail) {
            super(field, "Invalid passphrase", field + ": " + detail);
        }
    }
}
