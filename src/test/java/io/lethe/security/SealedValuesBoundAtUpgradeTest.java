package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An embedded database from before sealed values were bound (format {@code v2}) upgraded in place
 * by the service's own start: every value is re-sealed for its owner, a value then moved to another
 * owner opens nowhere, and a start with a key that opens none of them is refused before the upgrade
 * records anything, so the next start with the right key upgrades. The oracle is the cipher opening
 * (or refusing) each stored value for a given owner, and the service's own use of the signing key,
 * not the migration's report.
 */
class SealedValuesBoundAtUpgradeTest {

    static final String KEY =
            Base64.getEncoder()
                    .encodeToString(
                            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final String OTHER_KEY =
            Base64.getEncoder()
                    .encodeToString(
                            "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    @TempDir Path data;

    @Test
    void theUpgradeBindsEveryOldValueToItsOwnerAfterRefusingAKeyThatOpensNone() throws Exception {
        String url =
                "jdbc:h2:file:" + data + "/lethe;" + StartupChecks.H2_SETTINGS + ";WRITE_DELAY=0";
        DriverManagerDataSource source = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:db/migration")
                .target("19")
                .load()
                .migrate();
        SecretCipher cipher = new SecretCipher(new SecretsProperties(KEY, null, null));
        JdbcTemplate jdbc = new JdbcTemplate(source);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        host(jdbc, a, "https://a.example:7443", cipher.sealUnbound("token-of-host-a-0123456789"));
        host(jdbc, b, "https://b.example:7443", cipher.sealUnbound("token-of-host-b-0123456789"));
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem =
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pair.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
        // as every version names its keys: SHA-256 of the public key's DER, base64url, 16
        // characters
        String kid =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(pair.getPublic().getEncoded()))
                        .substring(0, 16);
        jdbc.update(
                "insert into signing_keys (kid, public_key_pem, private_key_enc, created_at) values (?, ?, ?, ?)",
                kid,
                pem,
                cipher.sealUnbound(
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())),
                Timestamp.from(Instant.now()));
        String before = token(jdbc, a);

        assertThatThrownBy(() -> start(url, OTHER_KEY).close())
                .hasStackTraceContaining("LETHE_SECRETS_PREVIOUS_KEYS")
                .hasStackTraceContaining(
                        "key id "
                                + new SecretCipher(new SecretsProperties(OTHER_KEY, null, null))
                                        .keyId());
        assertThat(token(jdbc, a)).as("nothing changed").isEqualTo(before);

        try (ConfigurableApplicationContext app = start(url, KEY)) {
            String sealedA = token(jdbc, a);
            assertThat(sealedA).startsWith("v3:");
            assertThat(cipher.open(sealedA, SealedFor.agentToken(a, "https://a.example:7443")))
                    .isEqualTo("token-of-host-a-0123456789");
            assertThatThrownBy(
                            () ->
                                    cipher.open(
                                            sealedA,
                                            SealedFor.agentToken(b, "https://b.example:7443")))
                    .as("A's token copied into B's row opens nowhere")
                    .isInstanceOf(SecretCipher.SecretUnreadable.class);
            assertThatThrownBy(
                            () ->
                                    cipher.open(
                                            sealedA,
                                            SealedFor.agentToken(a, "https://127.0.0.1:9/")))
                    .as("nor under another URL")
                    .isInstanceOf(SecretCipher.SecretUnreadable.class);
            assertThat(
                            cipher.open(
                                    jdbc.queryForObject(
                                            "select private_key_enc from signing_keys where kid = ?",
                                            String.class,
                                            kid),
                                    SealedFor.signingKey(kid, pem)))
                    .isEqualTo(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            Api api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
            assertThat(api.get("/api/v1/certificates/signing-key").body())
                    .as("the service signs with the key it had")
                    .contains(kid);
        }
    }

    private ConfigurableApplicationContext start(String url, String key) {
        return new SpringApplicationBuilder(LetheApplication.class)
                .run(
                        "--server.port=0",
                        "--lethe.data-dir=" + data,
                        "--spring.datasource.url=" + url,
                        "--lethe.secrets.key=" + key);
    }

    private static void host(JdbcTemplate jdbc, UUID id, String url, String sealed) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "insert into hosts (id, name, backend_type, agent_url, agent_token_enc, cache_invalidation,"
                        + " created_at, updated_at) values (?, ?, 'host-agent', ?, ?, 'unsupported', ?, ?)",
                id,
                "host-" + id,
                url,
                sealed,
                now,
                now);
    }

    /** The host's sealed agent token, where the schema keeps it (a column of its own until V26). */
    private static String token(JdbcTemplate jdbc, UUID host) {
        boolean upgraded =
                jdbc.queryForObject(
                                "select count(*) from information_schema.columns where table_name = 'hosts'"
                                        + " and column_name = 'backend_secret_enc'",
                                Long.class)
                        > 0;
        return jdbc.queryForObject(
                "select "
                        + (upgraded ? "backend_secret_enc" : "agent_token_enc")
                        + " from hosts where id = ?",
                String.class,
                host);
    }
}
