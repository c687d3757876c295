package io.lethe.host;

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
class HostSecrets {

    /** Agent tokens, each sealed for its host and the agent URL it may be sent to. */
    static final SealedColumn.Spec AGENT_TOKENS =
            new SealedColumn.Spec(
                    "hosts",
                    "id",
                    "agent_token_enc",
                    List.of("agent_url"),
                    row -> SealedFor.agentToken(row.get("id"), (String) row.get("agent_url")));

    /** The agent tokens of hosts, re-sealed with the current key during a key rotation. */
    @Bean
    SealedSecrets hostSealedSecrets(JdbcTemplate jdbc) {
        return new SealedColumn(jdbc, AGENT_TOKENS);
    }

    /** The upgrade that bound the agent tokens sealed before to their hosts and URLs. */
    @Bean
    static BindSealedColumn bindAgentTokens(SecretCipher cipher) {
        return new BindSealedColumn(
                "20", "bind agent tokens to their hosts and URLs", cipher, AGENT_TOKENS);
    }
}
