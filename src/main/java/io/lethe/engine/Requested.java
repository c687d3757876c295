package io.lethe.engine;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.common.WireEnum;
import io.lethe.host.BackendType;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * What an operation's request fixed: how it erases or which key it unlocks with, the reason given,
 * and the backend that performs it (its evidence names this, never the host's row at some later
 * moment). A value: Hibernate does not see an embedded value changed in place, so each change is a
 * new one: only the sealed passphrase is ever changed, forgotten when the operation ends.
 */
@Embeddable
class Requested {

    @Column(name = "method")
    private String method;

    @Column(name = "master_passphrase")
    private boolean masterPassphrase;

    @Column(name = "allow_final_attempt")
    private boolean allowFinalAttempt;

    @Column(name = "reason")
    private String reason;

    @Column(name = "backend_type")
    private String backendType;

    /** Whether that backend only simulates hardware. */
    @Column(name = "simulated")
    private Boolean simulated;

    /** Which key an unlock gives the kernel; null for other operations. */
    @Column(name = "unlock_key")
    private String unlockKey;

    /** Who asked. */
    @Column(name = "actor")
    private String actor;

    /**
     * A passphrase sealed by SecretCipher while a step still needs it (operations stored before
     * passphrases stayed in memory only); null once the operation ends.
     */
    @Column(name = "passphrase_enc")
    private String passphraseSealed;

    protected Requested() {}

    private Requested(
            String method,
            boolean masterPassphrase,
            boolean allowFinalAttempt,
            String reason,
            String backendType,
            Boolean simulated,
            String unlockKey,
            String actor,
            String passphraseSealed) {
        this.method = method;
        this.masterPassphrase = masterPassphrase;
        this.allowFinalAttempt = allowFinalAttempt;
        this.reason = reason;
        this.backendType = backendType;
        this.simulated = simulated;
        this.unlockKey = unlockKey;
        this.actor = actor;
        this.passphraseSealed = passphraseSealed;
    }

    /**
     * @throws IllegalTransition when a key is given for an operation that is no unlock
     */
    static Requested of(OperationType type, OperationRequest request, String actor) {
        if (request.unlockKey() != null && type != OperationType.UNLOCK_DEVICE) {
            throw new IllegalTransition("only an unlock gives the kernel a key");
        }
        return new Requested(
                request.method() == null ? null : request.method().wire(),
                request.master(),
                request.allowFinalAttempt(),
                request.reason(),
                request.backendType() == null ? null : request.backendType().wire(),
                request.simulated(),
                request.unlockKey() == null ? null : request.unlockKey().wire(),
                actor,
                request.sealedPassphrase());
    }

    /** The same request with its sealed passphrase forgotten: no step needs it any more. */
    Requested withoutPassphrase() {
        return passphraseSealed == null
                ? this
                : new Requested(
                        method,
                        masterPassphrase,
                        allowFinalAttempt,
                        reason,
                        backendType,
                        simulated,
                        unlockKey,
                        actor,
                        null);
    }

    String actor() {
        return actor;
    }

    String passphraseSealed() {
        return passphraseSealed;
    }

    EraseMethod method() {
        return method == null ? null : WireEnum.require(EraseMethod.class, method);
    }

    boolean masterPassphrase() {
        return masterPassphrase;
    }

    boolean allowFinalAttempt() {
        return allowFinalAttempt;
    }

    String reason() {
        return reason;
    }

    /** The backend fixed at the request; null for an attach-region operation. */
    BackendType backendType() {
        return backendType == null ? null : BackendType.of(backendType);
    }

    boolean simulated() {
        return !Boolean.FALSE.equals(simulated);
    }

    UnlockKey unlockKey() {
        return unlockKey == null ? null : WireEnum.require(UnlockKey.class, unlockKey);
    }
}
