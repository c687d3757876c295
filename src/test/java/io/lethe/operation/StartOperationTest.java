package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.lethe.engine.OperationType;
import org.junit.jupiter.api.Test;

/** A start command's text and its idempotency fingerprint leave the passphrase out. */
class StartOperationTest {

    static final String SECRET = "correct-horse-battery";

    StartOperation erase(String passphrase, String reason) {
        return new StartOperation(
                OperationType.SECURE_ERASE,
                EraseMethod.PASSPHRASE_ERASE,
                false,
                false,
                reason,
                passphrase,
                null,
                "pipeline");
    }

    StartOperation unlock(String passphrase, UnlockKey key) {
        return new StartOperation(
                OperationType.UNLOCK_DEVICE, null, false, false, null, passphrase, key, "pipeline");
    }

    @Test
    void neitherItsTextNorItsFingerprintShowsThePassphrase() {
        StartOperation command = erase(SECRET, "tenant change");
        assertThat(command.toString()).doesNotContain(SECRET).contains("secure-erase");
        assertThat(command.fingerprint()).doesNotContain(SECRET);
    }

    @Test
    void theFingerprintIsTheRequestWithoutItsPassphrase() {
        assertThat(erase(SECRET, "r").fingerprint())
                .as("another passphrase: a replay, so a replay cannot test passphrases")
                .isEqualTo(erase("another-one", "r").fingerprint());
        assertThat(erase(SECRET, "r").fingerprint())
                .as("another reason is another request")
                .isNotEqualTo(erase(SECRET, "r2").fingerprint());
        assertThat(erase(SECRET, "a|b").fingerprint())
                .as("a reason cannot pose as another field")
                .isNotEqualTo(erase(SECRET, "a").fingerprint() + "|b");
        assertThat(unlock(null, UnlockKey.HOST_KEY).fingerprint())
                .isNotEqualTo(unlock(SECRET, UnlockKey.PASSPHRASE).fingerprint());
    }
}
