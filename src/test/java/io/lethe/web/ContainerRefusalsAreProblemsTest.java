package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What Tomcat refuses before any handler or authentication runs (a {@code TRACE}, a {@code QUERY}
 * it cannot parse) is answered as a problem detail like every other answer under {@code /api}. Sent
 * over a raw socket, as an outside client would, since HTTP client libraries restrict methods.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContainerRefusalsAreProblemsTest {

    @LocalServerPort int port;

    private String send(String method) throws IOException {
        return raw(
                method + " /api/v1/hosts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private String raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.US_ASCII));
    }

    private String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Refused before any mapping to the application, where Spring's error page is never asked: by
     * Tomcat's error report, which was an HTML page.
     */
    @Test
    void requestsTheContainerCannotReadAreAnsweredWithProblemDetails() throws IOException {
        String end = "HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        for (String request :
                new String[] {
                    "GET /api/v1/hosts/%00 " + end,
                    "GET /api/v1/hosts/..%2F..%2Factuator " + end,
                    "GET /api/v1/hosts/" + "a".repeat(10_000) + " " + end,
                    "GET /api/v1/hosts HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n"
                            + "Connection: close\r\n\r\n",
                    "GET /api/v1/ho sts " + end
                }) {
            String answer = raw(request);
            String shown = request.substring(0, Math.min(60, request.length()));
            assertThat(answer).as(shown).startsWith("HTTP/1.1 400");
            assertThat(answer.toLowerCase())
                    .as(shown)
                    .contains("content-type: application/problem+json");
            assertThat(answer)
                    .as(shown)
                    .contains("\"code\":\"bad-request\"")
                    .doesNotContain("<html")
                    .doesNotContain("Tomcat");
        }
    }

    /**
     * Header values outside visible ASCII, sent as UTF-8 bytes (a client library would not send
     * them), are refused by Spring Security's firewall when they are read: a 400 that does not
     * quote the value (a token may be one), not a 500.
     */
    @Test
    void headerValuesOutsideAsciiAreRefusedWithProblemDetails() throws IOException {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "headers-" + System.nanoTime());
        String device = TestInventory.device(api, host, "HEADERS-" + System.nanoTime());
        String body = "{\"method\":\"sanitize\"}";
        String key =
                raw(
                        ("POST /api/v1/devices/"
                                        + device
                                        + "/secure-erase HTTP/1.1\r\n"
                                        + "Host: localhost\r\nConnection: close\r\n"
                                        + "Authorization: Bearer "
                                        + Api.ADMIN_TOKEN
                                        + "\r\n"
                                        + "Content-Type: application/json\r\n"
                                        + "Idempotency-Key: ключ\r\n"
                                        + "Content-Length: "
                                        + body.length()
                                        + "\r\n\r\n"
                                        + body)
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(key).startsWith("HTTP/1.1 400");
        assertThat(key.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(key).contains("\"code\":\"header-not-allowed\"").doesNotContain("ключ");
        assertThat(api.get("/api/v1/operations?deviceId=" + device).json().path("items").size())
                .as("no operation started")
                .isZero();

        String token =
                raw(
                        ("GET /api/v1/hosts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                        + "Authorization: Bearer ключ\r\n\r\n")
                                .getBytes(StandardCharsets.UTF_8));
        assertThat(token).matches("(?s)HTTP/1.1 40[01].*");
        assertThat(token.toLowerCase()).contains("content-type: application/problem+json");
    }

    @Test
    void traceAndQueryAreAnsweredWithProblemDetails() throws IOException {
        String trace = send("TRACE");
        assertThat(trace).startsWith("HTTP/1.1 405");
        assertThat(trace.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(trace)
                .contains("\"code\":\"method-not-allowed\"")
                .doesNotContain("\"timestamp\"");

        String query = send("QUERY");
        assertThat(query).startsWith("HTTP/1.1 400");
        assertThat(query.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(query).contains("\"code\":\"bad-request\"").doesNotContain("\"timestamp\"");
    }
}
