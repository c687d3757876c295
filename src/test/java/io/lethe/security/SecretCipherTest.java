package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir Path dir;

    @Test
    void sealsSecretsSoTheyReadBackButNeverAppearInTheStoredForm() {
        SecretCipher cipher =
                new SecretCipher(new SecretsProperties(null, dir.resolve("k").toString(), null));
        String secret = "passphrase-0123456789abcdef";
        String sealed = cipher.encrypt(secret);
        assertThat(sealed).startsWith("v2:").doesNotContain(secret);
        assertThat(cipher.encrypt(secret)).as("a fresh nonce every time").isNotEqualTo(sealed);
        assertThat(cipher.decrypt(sealed)).isEqualTo(secret);
    }

    @Test
    void generatedKeyFileIsOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path keyFile = dir.resolve("data/secrets.key");
        String sealed =
                new SecretCipher(new SecretsProperties(null, keyFile.toString(), null))
                        .encrypt("x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(
                        new SecretCipher(new SecretsProperties(null, keyFile.toString(), null))
                                .decrypt(sealed))
                .isEqualTo("x");
    }

    @Test
    void anotherKeyOrATamperedValueCannotBeRead() {
        String sealed =
                new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString(), null))
                        .encrypt("secret-value");
        SecretCipher other =
                new SecretCipher(new SecretsProperties(null, dir.resolve("b").toString(), null));
        assertThatThrownBy(() -> other.decrypt(sealed))
                .isInstanceOf(SecretCipher.SecretUnreadable.class)
                .hasMessageNotContaining("secret-value");
        SecretCipher same =
                new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString(), null));
        String tampered =
                sealed.substring(0, sealed.length() - 4)
                        + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> same.decrypt(tampered))
                .isInstanceOf(SecretCipher.SecretUnreadable.class);
    }

    @Test
    void previousKeysStillDecryptButOnlyTheCurrentKeyEncrypts() {
        String a = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] bBytes = new byte[32];
        bBytes[0] = 1;
        String b = Base64.getEncoder().encodeToString(bBytes);
        String sealedWithA =
                new SecretCipher(new SecretsProperties(a, null, null)).encrypt("agent-token");
        SecretCipher rotated = new SecretCipher(new SecretsProperties(b, null, a));
        assertThat(rotated.decrypt(sealedWithA)).isEqualTo("agent-token");
        assertThat(rotated.sealedWithCurrentKey(sealedWithA)).isFalse();
        String resealed = rotated.encrypt(rotated.decrypt(sealedWithA));
        assertThat(rotated.sealedWithCurrentKey(resealed)).isTrue();
        SecretCipher onlyB = new SecretCipher(new SecretsProperties(b, null, null));
        assertThat(onlyB.decrypt(resealed)).isEqualTo("agent-token");
        assertThatThrownBy(() -> onlyB.decrypt(sealedWithA))
                .isInstanceOf(SecretCipher.SecretUnreadable.class);
    }

    @Test
    void configuredKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new SecretCipher(new SecretsProperties("c2hvcnQ=", null, null)))
                .isInstanceOf(IllegalStateException.class);
    }
}
