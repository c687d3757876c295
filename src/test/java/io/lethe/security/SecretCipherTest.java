package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir
    Path dir;

    @Test
    void sealsSecretsSoTheyReadBackButNeverAppearInTheStoredForm() {
        SecretCipher cipher = new SecretCipher(new SecretsProperties(null, dir.resolve("k").toString()));
        String secret = "passphrase-0123456789abcdef";
        String sealed = cipher.encrypt(secret);
        assertThat(sealed).startsWith("v1:").doesNotContain(secret);
        assertThat(cipher.encrypt(secret)).as("a fresh nonce every time").isNotEqualTo(sealed);
        assertThat(cipher.decrypt(sealed)).isEqualTo(secret);
    }

    @Test
    void generatedKeyFileIsOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path keyFile = dir.resolve("data/secrets.key");
        String sealed = new SecretCipher(new SecretsProperties(null, keyFile.toString())).encrypt("x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(new SecretCipher(new SecretsProperties(null, keyFile.toString())).decrypt(sealed)).isEqualTo("x");
    }

    @Test
    void anotherKeyOrATamperedValueCannotBeRead() {
        String sealed = new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString())).encrypt("secret-value");
        SecretCipher other = new SecretCipher(new SecretsProperties(null, dir.resolve("b").toString()));
        assertThatThrownBy(() -> other.decrypt(sealed)).isInstanceOf(SecretCipher.SecretUnreadable.class)
                .hasMessageNotContaining("secret-value");
        SecretCipher same = new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString()));
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> same.decrypt(tampered)).isInstanceOf(SecretCipher.SecretUnreadable.class);
    }

    @Test
    void configuredKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new SecretCipher(new SecretsProperties("c2hvcnQ=", null)))
                .isInstanceOf(IllegalStateException.class);
    }
}
