package io.lethe.security;

import io.lethe.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Secret custody",
        description = "Rotation of the key that encrypts secrets at rest (admin only)")
class SecretsRotationController {

    private final List<SealedSecrets> holders;
    private final SecretCipher cipher;

    private final AuditLog audit;

    SecretsRotationController(List<SealedSecrets> holders, SecretCipher cipher, AuditLog audit) {
        this.audit = audit;
        this.holders = holders;
        this.cipher = cipher;
    }

    @PostMapping(
            path = "/api/v1/admin/secrets/re-encryption",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "reencryptSecrets",
            summary = "Re-encrypt every stored secret with the current key",
            description =
                    "Step 2 of a key rotation: after every replica runs with the new LETHE_SECRETS_KEY and the old "
                            + "key in LETHE_SECRETS_PREVIOUS_KEYS. Afterwards the previous keys can be removed.")
    Map<String, Integer> reencrypt() {
        int resealed = holders.stream().mapToInt(h -> h.reseal(cipher)).sum();
        audit.recordAdmin(
                Actors.current(),
                "secrets-re-encrypted",
                null,
                null,
                resealed + " sealed value(s) re-encrypted with the current secrets key");
        return Map.of("resealed", resealed);
    }
}
