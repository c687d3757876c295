package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The last active admin token cannot be revoked: an API fuzzer's stateful phase locked itself out
 * that way, and only a restart with a new bootstrap token recovered. Rotation is: create a new
 * admin token, then revoke the old one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // its own context: the fresh database's only admin token is the bootstrap one
        properties = "spring.application.name=lethe-last-admin")
class LastAdminTokenTest {

    @LocalServerPort int port;

    @Test
    void theLastActiveAdminTokenCannotBeRevokedSoRotationCreatesTheNewOneFirst() {
        Api admin = new Api(port);
        String bootstrap = tokenNamed(admin, "bootstrap");
        String viewer = create(admin, "a-viewer", "viewer").get("id");

        var refused = admin.delete("/api/v1/tokens/" + bootstrap);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("last-admin-token");
        assertThat(admin.get("/api/v1/tokens").status()).as("still an admin").isEqualTo(200);

        Map<String, String> next = create(admin, "next-admin", "admin");
        Api rotated = new Api(port, next.get("secret"));
        assertThat(rotated.delete("/api/v1/tokens/" + bootstrap).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/tokens").status()).as("the old one is gone").isEqualTo(401);
        assertThat(rotated.delete("/api/v1/tokens/" + next.get("id")).status())
                .as("the new one is now the last")
                .isEqualTo(409);
        assertThat(rotated.delete("/api/v1/tokens/" + viewer).status()).isEqualTo(200);
    }

    @Test
    void noTokenMayBeNamedAsTheSystemActor() {
        Api admin = new Api(port);
        for (String name : new String[] {"lethe", "LETHE"}) {
            var refused =
                    admin.post(
                            "/api/v1/tokens",
                            Api.json(Map.of("name", name, "roles", java.util.List.of("admin"))));
            assertThat(refused.status()).as(name).isEqualTo(409);
            assertThat(refused.contentType()).contains("application/problem+json");
        }
    }

    private static String tokenNamed(Api api, String name) {
        for (var token : api.get("/api/v1/tokens").json().get("items")) {
            if (token.get("name").asString().equals(name)) {
                return token.get("id").asString();
            }
        }
        throw new AssertionError("no token named " + name);
    }

    private static Map<String, String> create(Api api, String name, String role) {
        var created =
                api.post(
                        "/api/v1/tokens",
                        Api.json(Map.of("name", name, "roles", java.util.List.of(role))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return Map.of("id", created.id(), "secret", created.json().get("secret").asString());
    }
}
