package io.lethe.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import io.lethe.support.TestInventory;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A token holds at most lethe.workflow.max-waits-per-token waits at once; beyond is 429 with
 * Retry-After.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lethe.workflow.max-waits-per-token=3")
class WaitsPerTokenTest {

    @LocalServerPort int port;

    @Test
    void waitsBeyondTheTokensCapAreRefusedWith429() throws Exception {
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "cap-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1M")))))
                        .id();
        String device = TestInventory.device(api, host, "CAP-" + UUID.randomUUID());
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        var held =
                IntStream.range(0, 3)
                        .mapToObj(
                                i ->
                                        CompletableFuture.supplyAsync(
                                                () ->
                                                        api.get(
                                                                "/api/v1/operations/"
                                                                        + op
                                                                        + "?wait=PT5S")))
                        .toList();
        Thread.sleep(1000);
        Response refused = api.get("/api/v1/operations/" + op + "?wait=PT5S");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.text("code")).isEqualTo("too-many-waits");
        assertThat(refused.headers().get("retry-after")).isEqualTo("5");
        assertThat(api.get("/api/v1/operations/" + op).status())
                .as("a plain read is no wait")
                .isEqualTo(200);
        held.forEach(f -> assertThat(f.join().status()).isEqualTo(200));
        assertThat(api.get("/api/v1/operations/" + op + "?wait=PT0.1S").status())
                .as("slots come back")
                .isEqualTo(200);
    }
}
