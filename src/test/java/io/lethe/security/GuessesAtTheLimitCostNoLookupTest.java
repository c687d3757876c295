package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.lethe.support.Api;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * An address at its failure limit is answered 429 for every secret that is no active token, without
 * a database lookup per guess; a valid token from the same address (an ingress shared by all
 * clients) is still served.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.security.auth-failures-per-minute=3")
class GuessesAtTheLimitCostNoLookupTest {

    @LocalServerPort int port;
    @MockitoSpyBean ApiTokenRepository tokens;

    @Test
    void guessesAtTheLimitAreRefusedWithoutALookupWhileAValidTokenIsServed() {
        for (int i = 0; i < 3; i++) {
            assertThat(new Api(port, "lethe_guess-" + i).get("/api/v1/hosts").status())
                    .isEqualTo(401);
        }
        clearInvocations(tokens);
        for (int i = 0; i < 20; i++) {
            var refused = new Api(port, "lethe_" + UUID.randomUUID()).get("/api/v1/hosts");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.text("code")).isEqualTo("too-many-failed-authentications");
        }
        verify(tokens, never()).findBySecretHash(anyString());

        assertThat(new Api(port).get("/api/v1/hosts").status())
                .as("the admin token, from the same address at its limit")
                .isEqualTo(200);
    }
}
