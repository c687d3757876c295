package io.lethe.operation;

import io.lethe.common.LetheProblem;
import org.springframework.http.HttpStatus;

/** Refusals of operation requests, named as facts. */
final class OperationProblems {

    private OperationProblems() {}

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
}
