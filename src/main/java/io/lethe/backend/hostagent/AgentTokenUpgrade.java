package io.lethe.backend.hostagent;

import io.lethe.security.BindSealedColumn;
import io.lethe.security.SealedColumn;
import io.lethe.security.SealedFor;
import io.lethe.security.SecretCipher;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Migration V20, the agent's part of it: agent tokens sealed before bound nothing; they were bound
 * to their hosts and URLs. It runs on the tables as they were then (the token and the URL in
 * columns of their own; V26 made them the host's sealed secret and settings document).
 */
@Configuration(proxyBeanMethods = false)
class AgentTokenUpgrade {

    @Bean
    static BindSealedColumn bindAgentTokens(SecretCipher cipher) {
        return new BindSealedColumn(
                "20",
                "bind agent tokens to their hosts and URLs",
                cipher,
                new SealedColumn.Spec(
                        "hosts",
                        "id",
                        "agent_token_enc",
                        List.of("agent_url"),
                        row -> SealedFor.agentToken(row.get("id"), (String) row.get("agent_url"))));
    }
}
