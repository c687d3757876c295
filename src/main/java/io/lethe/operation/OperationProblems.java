package io.lethe.operation;

import io.lethe.common.LetheProblem;
import org.springframework.http.HttpStatus;

/** Refusals of operation requests, named as facts. */
final class OperationProblems {

    private OperationProblems() {}

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

    static final class CancelTooLate extends LetheProblem.Conflict {
        CancelTooLate(String why) {
            super("Too late to cancel", "The operation can no longer be cancelled: " + why);
        }
    }

    static final class InvalidIdempotencyKey extends LetheProblem.BadRequest {
        InvalidIdempotencyKey() {
            super(
                    "Idempotency-Key",
                    "Invalid Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say)");
        }
    }

    static final class IdempotencyKeyReused extends LetheProblem {
        IdempotencyKeyReused() {
            super(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Idempotency key reused",
                    "This Idempotency-Key was used with another request; use a new key for a new request");
        }
    }

    static final class OperationNotFound extends LetheProblem.NotFound {
        OperationNotFound(String id) {
            super("Operation", id);
        }
    }

    static final class InvalidOperationFilter extends LetheProblem.BadRequest {
        InvalidOperationFilter(String field, String value) {
            super(field, "Invalid filter", field + " must be an id (UUID), was '" + value + "'");
        }
    }

    /** A batch whose operations have all ended has nothing left to cancel. */
    static final class BatchEnded extends LetheProblem.Conflict {
        BatchEnded(String id, String state) {
            super(
                    "Batch has ended",
                    "Batch " + id + " has ended (" + state + "): there is nothing left to cancel");
        }
    }

    static final class BatchNotFound extends LetheProblem.NotFound {
        BatchNotFound(String id) {
            super("Batch", id);
        }
    }

    static final class InvalidBatch extends LetheProblem.BadRequest {
        InvalidBatch(String field, String detail) {
            super(field, "Invalid batch", field + ": " + detail);
        }
    }
}
