package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The failed-authentication limit counts wrong tokens per address and never refuses a valid one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.security.auth-failures-per-minute=10")
class SharedAddressLockoutTest {

    @LocalServerPort int port;

    @Test
    void wrongTokensFromASharedAddressNeverLockOutAValidToken() {
        // Behind an ingress every client has the ingress's address: one client's wrong tokens must
        // not shut the others out, the admin included.
        Api guesser = new Api(port, "lethe_still-not-a-real-token");
        for (int i = 0; i < 12; i++) {
            guesser.get("/api/v1/hosts");
        }
        assertThat(guesser.get("/api/v1/hosts").status()).isEqualTo(429);
        assertThat(new Api(port).get("/api/v1/hosts").status())
                .as("the admin, from the same address")
                .isEqualTo(200);
    }
}
