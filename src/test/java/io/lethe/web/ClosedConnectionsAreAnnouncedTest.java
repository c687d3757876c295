package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.RawExchange;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service closes the connection of a request it refused without reading its body (so that a
 * slow body holds no thread), and every answer after which it closes says so with {@code
 * Connection: close}: an HTTP/1.1 connection persists unless an answer carries that option (RFC
 * 9112, 9.3 and 9.6), and a client told nothing sends its next request down the closed connection
 * and gets no answer. Answers to requests whose body was read keep the connection open. Checked
 * over a raw socket, as the rule is about the bytes on the wire.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClosedConnectionsAreAnnouncedTest {

    private static final String HOST_JSON =
            "{\"name\":\"close-%s\",\"backend\":{\"type\":\"simulated-x86\"}}";

    @LocalServerPort int port;

    @Test
    void refusalsBeforeTheBodyWasReadAnnounceTheCloseAndOthersKeepTheConnection()
            throws IOException {
        String body = String.format(HOST_JSON, System.nanoTime());
        RawExchange noToken = exchange("POST", null, "application/json", body);
        RawExchange wrongToken = exchange("POST", "not-a-token", "application/json", body);
        RawExchange wrongType = exchange("POST", Api.ADMIN_TOKEN, "text/plain", "name=x");
        for (RawExchange refused : new RawExchange[] {noToken, wrongToken, wrongType}) {
            assertThat(refused.status()).isIn(401, 415);
            assertThat(refused.closed()).as("closed after " + refused).isTrue();
            assertThat(refused.announcesClose()).as("announced in " + refused).isTrue();
        }
        assertThat(wrongType.status()).isEqualTo(415);

        RawExchange created = exchange("POST", Api.ADMIN_TOKEN, "application/json", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.closed()).as("kept open after " + created).isFalse();
        assertThat(created.announcesClose()).isFalse();
        RawExchange listed = exchange("GET", Api.ADMIN_TOKEN, null, null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.closed()).isFalse();
    }

    private RawExchange exchange(String method, String token, String contentType, String body)
            throws IOException {
        return RawExchange.api(port, method, "/api/v1/hosts", token, contentType, body);
    }
}
