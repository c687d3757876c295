package io.lethe.operation;

import io.lethe.backend.EraseMethod;
import io.lethe.backend.UnlockKey;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of the operation endpoints. Their toString never shows a passphrase. */
final class OperationRequests {

    private OperationRequests() {}

    @Schema(
            name = "EraseRequest",
            example =
                    """
            {"method": "sanitize", "reason": "tenant hand-off"}""")
    record Erase(
            @NotNull EraseMethod method,
            @Size(max = 512) String reason,
            @Size(min = 1, max = 32, message = "must be 1 to 32 bytes")
                    @Schema(
                            description =
                                    "Only for passphrase-erase; kept encrypted until the operation ends, never returned")
                    String passphrase,
            @Schema(
                            description =
                                    "Only with method passphrase-erase: the passphrase given is the"
                                            + " device's master passphrase (a 400 with any other method)")
                    Boolean master) {

        @Override
        public String toString() {
            return "Erase[method=" + method + ", reason=" + reason + ", master=" + master + "]";
        }
    }

    @Schema(
            name = "UnlockRequest",
            example =
                    """
            {"passphrase": "correct horse battery staple", "allowFinalAttempt": false}""")
    record Unlock(
            @Size(min = 1, max = 32, message = "must be 1 to 32 bytes")
                    @Schema(
                            description =
                                    "Required unless key is host-key, which takes none. Kept in the receiving"
                                            + " replica's memory until the unlock, never stored or returned")
                    String passphrase,
            @Schema(
                            description =
                                    "passphrase (the default) unlocks with the passphrase given; host-key with the"
                                            + " host's own key that ndctl sealed on the host (host agents only, and only for"
                                            + " devices the agent's configuration lists)")
                    UnlockKey key,
            @Schema(
                            description =
                                    "Allow the attempt that would exhaust the device's unlock attempts")
                    Boolean allowFinalAttempt,
            @Size(max = 512) String reason) {

        @Override
        public String toString() {
            return "Unlock[key="
                    + key
                    + ", allowFinalAttempt="
                    + allowFinalAttempt
                    + ", reason="
                    + reason
                    + "]";
        }

        /** The key to unlock with: the passphrase unless the request names another. */
        UnlockKey unlockKey() {
            return key == null ? UnlockKey.PASSPHRASE : key;
        }
    }
}
