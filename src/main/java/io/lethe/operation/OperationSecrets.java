package io.lethe.operation;

import io.lethe.security.SealedSecrets;
import io.lethe.security.SecretCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The passphrases operations keep until they end. Re-sealed with the current key during a key rotation. */
@Component
class OperationSecrets implements SealedSecrets {

    private final JdbcTemplate jdbc;

    OperationSecrets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public int reseal(SecretCipher cipher) {
        int resealed = 0;
        for (var row : jdbc.queryForList("select id, passphrase_enc from operations where passphrase_enc is not null for update")) {
            String sealed = (String) row.get("passphrase_enc");
            if (!cipher.sealedWithCurrentKey(sealed)) {
                jdbc.update("update operations set passphrase_enc = ? where id = ?", cipher.encrypt(cipher.decrypt(sealed)), row.get("id"));
                resealed++;
            }
        }
        return resealed;
    }
}
