package io.lethe.host;

import io.lethe.security.SealedColumn;
import io.lethe.security.SealedSecrets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class HostSecrets {

    /** The agent tokens of hosts, re-sealed with the current key during a key rotation. */
    @Bean
    SealedSecrets hostSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, "hosts", "id", "agent_token_enc");
    }
}
