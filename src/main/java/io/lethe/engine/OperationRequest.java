package io.lethe.engine;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.host.BackendType;

/**
 * What a request fixed for a new operation, all at once: nothing of it changes once the operation
 * exists. No passphrase in plain text: one is held in the receiving replica's memory. Built by
 * name, not by position: {@code OperationRequest.because(reason).erasing(method).performedBy(type,
 * simulated)}.
 *
 * @param method how an erase erases; null for other operations
 * @param master whether the passphrase is the device's master passphrase
 * @param allowFinalAttempt whether an unlock may spend the device's last attempt
 * @param reason why, as the caller put it
 * @param sealedPassphrase a passphrase sealed for this operation, or null (the service seals none
 *     since passphrases stay in memory; operations stored before that carry one)
 * @param unlockKey which key an unlock gives the kernel; null for other operations
 * @param backendType the backend that performs it, which its evidence names (null for an attach)
 * @param simulated whether that backend only simulates hardware
 * @param exposedUntil for an attach: the host order number at which another region's addresses
 *     under it stopped decoding, which its invalidation must be numbered after; otherwise null
 */
public record OperationRequest(
        EraseMethod method,
        boolean master,
        boolean allowFinalAttempt,
        String reason,
        String sealedPassphrase,
        UnlockKey unlockKey,
        BackendType backendType,
        Boolean simulated,
        Long exposedUntil) {

    /** A request for this reason, fixing nothing else yet. */
    public static OperationRequest because(String reason) {
        return new OperationRequest(null, false, false, reason, null, null, null, null, null);
    }

    /** An attach of a region, for this reason, covering the exposure numbered {@code until}. */
    public static OperationRequest attach(String reason, Long until) {
        return because(reason).exposedUntil(until);
    }

    /** An erase by this method (null for other operations). */
    public OperationRequest erasing(EraseMethod how) {
        return new OperationRequest(
                how,
                master,
                allowFinalAttempt,
                reason,
                sealedPassphrase,
                unlockKey,
                backendType,
                simulated,
                exposedUntil);
    }

    /**
     * An unlock with this key (null for other operations), with the master passphrase or not, and
     * whether it may spend the device's last attempt.
     */
    public OperationRequest unlocking(
            UnlockKey key, boolean withMaster, boolean mayUseLastAttempt) {
        return new OperationRequest(
                method,
                withMaster,
                mayUseLastAttempt,
                reason,
                sealedPassphrase,
                key,
                backendType,
                simulated,
                exposedUntil);
    }

    /** Performed by a backend of this type, which simulates hardware or not. */
    public OperationRequest performedBy(BackendType type, Boolean simulatedOnly) {
        return new OperationRequest(
                method,
                master,
                allowFinalAttempt,
                reason,
                sealedPassphrase,
                unlockKey,
                type,
                simulatedOnly,
                exposedUntil);
    }

    /** With a passphrase sealed for the operation, as operations stored before kept one. */
    public OperationRequest sealedPassphrase(String sealed) {
        return new OperationRequest(
                method,
                master,
                allowFinalAttempt,
                reason,
                sealed,
                unlockKey,
                backendType,
                simulated,
                exposedUntil);
    }

    /** For an attach: the exposure its invalidation must be numbered after. */
    public OperationRequest exposedUntil(Long until) {
        return new OperationRequest(
                method,
                master,
                allowFinalAttempt,
                reason,
                sealedPassphrase,
                unlockKey,
                backendType,
                simulated,
                until);
    }
}
