package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A step that outlives its time limit is abandoned, never interrupted: an interrupted thread that
 * then records what happened (the claim of a region commit, the step's failure) makes H2's file
 * channel throw {@code ClosedByInterruptException}, and H2 closes the whole embedded database. The
 * oracle is H2 itself, on a file database as in production (the suite's in-memory one has no file
 * channel to close).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:file:./target/test-data/step-time-limit-${random.uuid};"
                    + "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
            "lethe.workflow.step-timeout=PT1S",
            "lethe.workflow.max-attempts=2"
        })
class StepTimeLimitTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;

    @Test
    void aReattachThatOutlivesItsLimitFailsTheOperationAndLeavesTheDatabaseOpen() {
        Api api = new Api(port);
        UUID host =
                UUID.fromString(
                        api.post(
                                        "/api/v1/hosts",
                                        Api.json(
                                                Map.of(
                                                        "name",
                                                        "late-" + UUID.randomUUID(),
                                                        "backend",
                                                        Map.of(
                                                                "type",
                                                                "simulated-x86",
                                                                "latencies",
                                                                Map.of(
                                                                        "reattach-region",
                                                                        "PT3S")))))
                                .id());
        String device = TestInventory.device(api, host, "LATE-" + UUID.randomUUID());
        var region = TestInventory.region(api, host, List.of(device), 1048576L);
        assertThat(region.status()).as(region.toString()).isEqualTo(201);
        // The region's own attach commits through the same slow call: it times out first.
        JsonNode attach =
                api.awaitEnd(
                        region.json().get("attachOperationId").asString(), Duration.ofSeconds(60));
        assertThat(attach.get("state").asString()).as(attach.toString()).isEqualTo("failed");
        assertThat(Api.step(attach, "attach-region").get("detail").asString())
                .contains("no answer within PT1S");

        String erase =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        JsonNode ended = api.awaitEnd(erase, Duration.ofSeconds(60));

        assertThat(ended.get("state").asString()).isEqualTo("failed");
        assertThat(Api.step(ended, "reattach-region").get("detail").asString())
                .contains("no answer within PT1S");
        // The database still answers, through the API and directly.
        var again = api.get("/api/v1/operations/" + erase);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from operations", Long.class)).isPositive();
        assertThat(api.get("/api/v1/regions/" + region.id()).text("state"))
                .as("a commit nobody saw land leaves the region detached")
                .isEqualTo("detached");
    }
}
