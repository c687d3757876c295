package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir Path dir;

    static final SealedFor OWNER = SealedFor.passphrase("op-1");

    @Test
    void sealsSecretsSoTheyReadBackButNeverAppearInTheStoredForm() {
        SecretCipher cipher =
                new SecretCipher(new SecretsProperties(null, dir.resolve("k").toString(), null));
        String secret = "passphrase-0123456789abcdef";
        String sealed = cipher.seal(secret, OWNER);
        assertThat(sealed).startsWith("v3:").doesNotContain(secret);
        assertThat(cipher.seal(secret, OWNER)).as("a fresh nonce every time").isNotEqualTo(sealed);
        assertThat(cipher.open(sealed, OWNER)).isEqualTo(secret);
    }

    @Test
    void aSealedValueOpensForItsOwnerOnly() {
        SecretCipher cipher =
                new SecretCipher(new SecretsProperties(null, dir.resolve("k").toString(), null));
        String token =
                cipher.seal(
                        "agent-token-0123456789", SealedFor.agentToken("host-a", "https://a:7443"));
        assertThat(cipher.open(token, SealedFor.agentToken("host-a", "https://a:7443")))
                .isEqualTo("agent-token-0123456789");
        for (SealedFor elsewhere :
                List.of(
                        SealedFor.agentToken("host-b", "https://a:7443"),
                        SealedFor.agentToken("host-a", "https://127.0.0.1:9"),
                        SealedFor.passphrase("host-a"),
                        new SealedFor("agent-token", "host-a", List.of("https://a:7443", "x")),
                        // no field may run into the next: "host-a" + "https..." split elsewhere
                        new SealedFor("agent-token", "host-ah", List.of("ttps://a:7443")))) {
            assertThatThrownBy(() -> cipher.open(token, elsewhere))
                    .as("%s", elsewhere)
                    .isInstanceOf(SecretCipher.SecretUnreadable.class)
                    .hasMessageNotContaining("agent-token-0123");
        }
        assertThat(cipher.keyKnown(token)).isTrue();
    }

    @Test
    void valuesOfTheUnboundFormatsOpenOnlyForTheirMigration() {
        SecretCipher cipher =
                new SecretCipher(new SecretsProperties(null, dir.resolve("k").toString(), null));
        String old = cipher.sealUnbound("agent-token-0123456789");
        assertThat(old).startsWith("v2:");
        assertThat(SecretCipher.unbound(old)).isTrue();
        assertThat(cipher.openUnbound(old)).isEqualTo("agent-token-0123456789");
        assertThatThrownBy(() -> cipher.open(old, OWNER))
                .as("written into a row from outside after the migration, it opens nowhere")
                .isInstanceOf(SecretCipher.SecretUnreadable.class);
        assertThat(cipher.keyKnown(old)).isFalse();
    }

    @Test
    void generatedKeyFileIsOwnerOnlyAndReusedOnTheNextStart() throws Exception {
        Path keyFile = dir.resolve("data/secrets.key");
        String sealed =
                new SecretCipher(new SecretsProperties(null, keyFile.toString(), null))
                        .seal("x", OWNER);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(
                        new SecretCipher(new SecretsProperties(null, keyFile.toString(), null))
                                .open(sealed, OWNER))
                .isEqualTo("x");
    }

    @Test
    void anotherKeyOrATamperedValueCannotBeRead() {
        String sealed =
                new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString(), null))
                        .seal("secret-value", OWNER);
        SecretCipher other =
                new SecretCipher(new SecretsProperties(null, dir.resolve("b").toString(), null));
        assertThatThrownBy(() -> other.open(sealed, OWNER))
                .isInstanceOf(SecretCipher.SecretUnreadable.class)
                .hasMessageNotContaining("secret-value");
        SecretCipher same =
                new SecretCipher(new SecretsProperties(null, dir.resolve("a").toString(), null));
        String tampered =
                sealed.substring(0, sealed.length() - 4)
                        + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> same.open(tampered, OWNER))
                .isInstanceOf(SecretCipher.SecretUnreadable.class);
    }

    @Test
    void previousKeysStillDecryptButOnlyTheCurrentKeyEncrypts() {
        String a = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] bBytes = new byte[32];
        bBytes[0] = 1;
        String b = Base64.getEncoder().encodeToString(bBytes);
        String sealedWithA =
                new SecretCipher(new SecretsProperties(a, null, null)).seal("agent-token", OWNER);
        SecretCipher rotated = new SecretCipher(new SecretsProperties(b, null, a));
        assertThat(rotated.open(sealedWithA, OWNER)).isEqualTo("agent-token");
        assertThat(rotated.sealedWithCurrentKey(sealedWithA)).isFalse();
        String resealed = rotated.seal(rotated.open(sealedWithA, OWNER), OWNER);
        assertThat(rotated.sealedWithCurrentKey(resealed)).isTrue();
        SecretCipher onlyB = new SecretCipher(new SecretsProperties(b, null, null));
        assertThat(onlyB.open(resealed, OWNER)).isEqualTo("agent-token");
        assertThatThrownBy(() -> onlyB.open(sealedWithA, OWNER))
                .isInstanceOf(SecretCipher.SecretUnreadable.class);
    }

    @Test
    void configuredKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new SecretCipher(new SecretsProperties("c2hvcnQ=", null, null)))
                .isInstanceOf(IllegalStateException.class);
    }
}
