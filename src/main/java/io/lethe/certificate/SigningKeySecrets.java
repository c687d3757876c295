package io.lethe.certificate;

import io.lethe.security.SealedColumn;
import io.lethe.security.SealedSecrets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class SigningKeySecrets {

    /** The private signing keys, re-sealed with the current key during a key rotation. */
    @Bean
    SealedSecrets certificateSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, "signing_keys", "kid", "private_key_enc");
    }
}
