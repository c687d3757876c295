package io.lethe.certificate;

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
class SigningKeySecrets {

    /** Private signing keys, each sealed for its key id and public half. */
    static final SealedColumn.Spec PRIVATE_KEYS =
            new SealedColumn.Spec(
                    "signing_keys",
                    "kid",
                    "private_key_enc",
                    List.of("public_key_pem"),
                    row ->
                            SealedFor.signingKey(
                                    (String) row.get("kid"), (String) row.get("public_key_pem")));

    /** The private signing keys, re-sealed with the current key during a key rotation. */
    @Bean
    SealedSecrets certificateSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, PRIVATE_KEYS);
    }

    /** The upgrade that bound the private keys sealed before to their public halves. */
    @Bean
    static BindSealedColumn bindSigningKeys(SecretCipher cipher) {
        return new BindSealedColumn(
                "20.2", "bind private signing keys to their public halves", cipher, PRIVATE_KEYS);
    }
}
