package io.lethe.certificate;

import io.lethe.security.SealedSecrets;
import io.lethe.security.SecretCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The private signing keys. Re-sealed with the current key during a key rotation. */
@Component
class SigningKeySecrets implements SealedSecrets {

    private final JdbcTemplate jdbc;

    SigningKeySecrets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public int reseal(SecretCipher cipher) {
        int resealed = 0;
        for (var row : jdbc.queryForList("select kid, private_key_enc from signing_keys where private_key_enc is not null for update")) {
            String sealed = (String) row.get("private_key_enc");
            if (!cipher.sealedWithCurrentKey(sealed)) {
                jdbc.update("update signing_keys set private_key_enc = ? where kid = ?", cipher.encrypt(cipher.decrypt(sealed)), row.get("kid"));
                resealed++;
            }
        }
        return resealed;
    }
}
