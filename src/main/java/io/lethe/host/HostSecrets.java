package io.lethe.host;

import io.lethe.security.SealedSecrets;
import io.lethe.security.SecretCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The agent tokens of hosts. Re-sealed with the current key during a key rotation. */
@Component
class HostSecrets implements SealedSecrets {

    private final JdbcTemplate jdbc;

    HostSecrets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public int reseal(SecretCipher cipher) {
        int resealed = 0;
        for (var row : jdbc.queryForList("select id, agent_token_enc from hosts where agent_token_enc is not null for update")) {
            String sealed = (String) row.get("agent_token_enc");
            if (!cipher.sealedWithCurrentKey(sealed)) {
                jdbc.update("update hosts set agent_token_enc = ? where id = ?", cipher.encrypt(cipher.decrypt(sealed)), row.get("id"));
                resealed++;
            }
        }
        return resealed;
    }
}
