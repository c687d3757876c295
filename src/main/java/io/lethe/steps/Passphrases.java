package io.lethe.steps;

import io.lethe.engine.PassphraseVault;
import io.lethe.engine.StepHandler;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Opens the passphrase an operation keeps sealed, or says plainly why it cannot. */
final class Passphrases {

    private Passphrases() {}

    /**
     * The passphrase of a running operation: from this replica's vault, or, for an operation
     * started before passphrases stopped being stored, from its sealed column.
     */
    static String open(
            PassphraseVault vault, SecretCipher cipher, UUID operationId, String sealed) {
        Optional<String> held = vault.get(operationId);
        if (held.isPresent()) {
            return held.get();
        }
        if (sealed == null) {
            throw new NotHere();
        }
        return open(cipher, operationId, sealed);
    }

    static String open(SecretCipher cipher, UUID operationId, String sealed) {
        if (sealed == null) {
            throw new Unavailable(
                    "the passphrase of this operation is no longer kept; start a new operation");
        }
        try {
            return cipher.open(sealed, SealedFor.passphrase(operationId));
        } catch (SecretCipher.SecretUnreadable e) {
            throw new Unavailable(
                    "the passphrase kept for this operation cannot be opened with the current "
                            + "secrets key for this operation (key lost or changed, or the value moved); nothing was sent"
                            + " to the device; start a new operation");
        }
    }

    /**
     * The passphrase is in another replica's memory, or was lost with a replica that stopped: ask
     * again shortly, and fail safely when the hand-off time is over.
     */
    static final class NotHere extends RuntimeException {
        NotHere() {
            super(
                    "the passphrase is held only in the memory of the replica that received the request, and that "
                            + "replica did not run this step (it restarted or stopped); nothing was sent to the device; send the "
                            + "request again with the passphrase",
                    null,
                    false,
                    false);
        }
    }

    /** How soon another replica asks again for a passphrase it does not hold. */
    static final Duration HANDOFF_RETRY = Duration.ofMillis(200);

    /**
     * A step's answer when the passphrase is held by another replica: ask again until the hand-off
     * time after the step started is over, then fail before touching the device.
     */
    static StepHandler.StepResult handBack(
            StepHandler.StepContext c,
            NotHere elsewhere,
            Instant now,
            Duration handoff,
            Integer percent,
            StepHandler.Effects untouched) {
        if (c.stepStartedAt() != null && now.isBefore(c.stepStartedAt().plus(handoff))) {
            return new StepHandler.StepResult.Poll(
                    HANDOFF_RETRY, percent, "waiting for the replica that holds the passphrase");
        }
        return new StepHandler.StepResult.Fail(elsewhere.getMessage(), untouched, true);
    }

    /** The passphrase cannot be had: the step fails before it touches the device. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String why) {
            super(why, null, false, false);
        }
    }
}
