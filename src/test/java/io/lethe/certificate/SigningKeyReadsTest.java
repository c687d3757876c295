package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reading the published signing keys never writes: the first key is made at start-up, and a read
 * with no active key (every key retired) answers what exists instead of making one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // its own context: this test retires every key
        properties = "spring.application.name=lethe-signing-key-reads")
class SigningKeyReadsTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aViewersReadOfTheSigningKeysWritesNothing() {
        assertThat(keys()).as("made at start-up, before any request").isEqualTo(1);
        Api admin = new Api(port);
        var created =
                admin.post(
                        "/api/v1/tokens",
                        Api.json(Map.of("name", "key-reader", "roles", List.of("viewer"))));
        Api viewer = new Api(port, created.json().get("secret").asString());

        jdbc.update("update signing_keys set retired_at = current_timestamp");
        var listed = viewer.get("/api/v1/certificates/signing-key");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("keys")).hasSize(1);
        var pem =
                viewer.get(
                        "/api/v1/certificates/signing-key",
                        Map.of("Accept", "application/x-pem-file"));
        assertThat(pem.status()).isEqualTo(404);
        assertThat(pem.contentType()).contains("application/problem+json");
        assertThat(keys()).as("the reads made no key").isEqualTo(1);
    }

    private int keys() {
        return jdbc.queryForObject("select count(*) from signing_keys", Integer.class);
    }
}
