package io.lethe.operation;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.engine.OperationType;

/**
 * A request to start an operation on one device, as a command: what the API's bodies and a batch's
 * plan ask. Its text never shows the passphrase.
 *
 * @param master a passphrase erase with the master passphrase
 * @param allowFinalAttempt an unlock may spend the device's last attempt
 * @param passphrase the device's passphrase where the operation needs one; held in memory only
 * @param unlockKey which key an unlock gives the kernel; null for other operations
 */
public record StartOperation(
        OperationType type,
        EraseMethod method,
        boolean master,
        boolean allowFinalAttempt,
        String reason,
        String passphrase,
        UnlockKey unlockKey,
        String actor) {

    /**
     * What an idempotency key is bound to: every field of the request but the passphrase (a replay
     * must not be a way to test passphrases) and the actor (the key's scope already).
     */
    String fingerprint() {
        return type.wire()
                + "|"
                + (method == null ? "" : method.wire())
                + "|"
                + master
                + "|"
                + allowFinalAttempt
                + "|"
                + (unlockKey == null ? "" : unlockKey.wire())
                + "|"
                + (reason == null ? "" : reason.length() + ":" + reason);
    }

    @Override
    public String toString() {
        return "StartOperation["
                + type.wire()
                + (method == null ? "" : " by " + method.wire())
                + (unlockKey == null ? "" : " with " + unlockKey.wire())
                + ", actor="
                + actor
                + "]";
    }
}
