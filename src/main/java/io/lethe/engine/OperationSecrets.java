package io.lethe.engine;

import io.lethe.security.SealedColumn;
import io.lethe.security.SealedSecrets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class OperationSecrets {

    /**
     * The passphrases operations keep until they end, re-sealed with the current key during a key
     * rotation.
     */
    @Bean
    SealedSecrets operationSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, "operations", "id", "passphrase_enc");
    }
}
