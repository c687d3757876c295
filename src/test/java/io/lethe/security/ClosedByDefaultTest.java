package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A path the security rules do not name is refused, to an admin too: an endpoint added later stays
 * closed until a rule opens it. Malformed input is a 400 problem, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ClosedByDefaultTest {

    @LocalServerPort int port;

    @Test
    void aPathNoRuleNamesIsRefusedEvenToAnAdmin() {
        assertThat(new Api(port).get("/not-an-endpoint").status()).isEqualTo(403);
        assertThat(new Api(port).get("/actuator/env").status()).isEqualTo(403);
        assertThat(new Api(port, null).get("/not-an-endpoint").status()).isEqualTo(401);
    }

    /**
     * The exact bytes a careless client sends: no HTTP client library would send a malformed URI.
     */
    private String raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void malformedInputIsABadRequestNotAServerError(CapturedOutput output) {
        Api admin = new Api(port);
        Response nullRole =
                admin.post("/api/v1/tokens", "{\"name\": \"nulls\", \"roles\": [null]}");
        assertThat(nullRole.status()).as(nullRole.toString()).isEqualTo(400);
        assertThat(nullRole.contentType()).startsWith("application/problem+json");
        for (String query :
                new String[] {
                    "/api/v1/devices?cursor=%%%",
                    "/api/v1/devices?cursor=%C0%AF",
                    "/api/v1/hosts?limit=%ZZ",
                    "/api/v1/operations?state=%E2%80"
                }) {
            String answer =
                    raw(
                            "GET "
                                    + query
                                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                                    + Api.ADMIN_TOKEN
                                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(query).startsWith("HTTP/1.1 400");
            assertThat(answer).as(query).doesNotContain("Exception");
        }
        for (String hostile :
                new String[] {
                    "/api/v1/audit/checkpoints?after=abc",
                    "/api/v1/audit/checkpoints?limit=5000",
                    "/api/v1/audit/checkpoints?limit=-1",
                    "/api/v1/operations/" + UUID.randomUUID() + "?wait=PT61S",
                    "/api/v1/regions?cursor=not-a-cursor",
                    "/api/v1/batches?state=exploded"
                }) {
            Response r = admin.get(hostile);
            assertThat(r.status()).as("%s: %s", hostile, r).isBetween(400, 404);
            assertThat(r.contentType()).as(hostile).startsWith("application/problem+json");
        }
        assertThat(output.getAll())
                .as("the raw values are not logged")
                .doesNotContain("%%%")
                .doesNotContain("%ZZ");
    }
}
