package io.lethe.engine;

import io.lethe.security.BindSealedColumn;
import io.lethe.security.SealedColumn;
import io.lethe.security.SealedFor;
import io.lethe.security.SealedSecrets;
import io.lethe.security.SecretCipher;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class OperationSecrets {

    /** Passphrases operations kept (before they stopped being stored), each for its operation. */
    static final SealedColumn.Spec PASSPHRASES =
            new SealedColumn.Spec(
                    "operations",
                    "id",
                    "passphrase_enc",
                    List.of(),
                    row -> SealedFor.passphrase(row.get("id")));

    /**
     * The passphrases operations keep until they end, re-sealed with the current key during a key
     * rotation.
     */
    @Bean
    SealedSecrets operationSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, PASSPHRASES);
    }

    /** The upgrade that bound the passphrases kept before to their operations. */
    @Bean
    static BindSealedColumn bindPassphrases(SecretCipher cipher) {
        return new BindSealedColumn(
                "20.1", "bind kept passphrases to their operations", cipher, PASSPHRASES);
    }
}
