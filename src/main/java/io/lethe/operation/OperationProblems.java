package io.lethe.operation;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
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

    /** An unlock's passphrase does not fit its key: required for one, refused with the other. */
    static final class UnlockKeyMismatch extends LetheProblem.BadRequest {
        UnlockKeyMismatch(String detail) {
            super("passphrase", "Invalid unlock request", detail);
        }

        static void check(OperationRequests.Unlock body) {
            if (body.unlockKey() == UnlockKey.HOST_KEY) {
                if (body.passphrase() != null) {
                    throw new UnlockKeyMismatch(
                            "passphrase: an unlock with key host-key takes no passphrase (the host's"
                                    + " agent loads the key ndctl sealed); leave it out");
                }
            } else if (body.passphrase() == null || body.passphrase().isBlank()) {
                throw new UnlockKeyMismatch(
                        "passphrase: must not be blank (or give key host-key to unlock with the"
                                + " host's own sealed key)");
            }
        }
    }

    /**
     * {@code master: true} names the passphrase of a passphrase erase; no other method has a master
     * variant, so the flag would otherwise be ignored without a word.
     */
    static final class MasterWithoutPassphraseErase extends LetheProblem.BadRequest {
        MasterWithoutPassphraseErase(String method) {
            super(
                    "master",
                    "Invalid erase request",
                    "master: only method passphrase-erase takes the master passphrase; "
                            + method
                            + " has no master variant. Leave master out or use passphrase-erase");
        }

        static void check(OperationRequests.Erase body) {
            if (Boolean.TRUE.equals(body.master())
                    && body.method() != null
                    && body.method() != EraseMethod.PASSPHRASE_ERASE) {
                throw new MasterWithoutPassphraseErase(body.method().wire());
            }
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
