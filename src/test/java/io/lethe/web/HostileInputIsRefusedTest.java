package io.lethe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.HostileInput;
import io.lethe.support.TestInventory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the served OpenAPI document, sent hostile input ({@link HostileInput}),
 * answers below 500, and every refusal is a problem detail without a stack trace. Assumes the spec
 * declares every parameter and body (OpenApiContractTest holds the spec to the code).
 *
 * <p>Its own context (the property below): the requests create tokens, hosts and operations that
 * would change what other test classes see.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hostile-input-test=own-context")
class HostileInputIsRefusedTest {

    @LocalServerPort int port;

    @Test
    void everyOperationAnswersHostileInputBelow500WithProblemDetails() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "hostile-input");
        String device = TestInventory.device(api, host, "HOSTILE-0001");
        JsonNode spec = api.get("/v3/api-docs").json();

        HostileInput attack =
                new HostileInput(api, Map.of("hosts", host, "devices", device))
                        .withValidBody(
                                "/api/v1/devices/{id}/secure-erase", "{\"method\":\"sanitize\"}")
                        .withValidBody(
                                "/api/v1/devices/{id}/decommission", "{\"method\":\"sanitize\"}")
                        .withValidBody("/api/v1/devices/{id}/unlock", "{\"passphrase\":\"p\"}")
                        .attackEveryOperation(spec, "/api/");

        // the test's own reach: were the spec's operations and body fields found at all
        assertThat(attack.reach().operations()).as("operations attacked").isGreaterThan(20);
        assertThat(attack.reach().fields()).as("body fields given wrong values").isGreaterThan(15);
        assertThat(attack.reach().requests()).as("hostile requests sent").isGreaterThan(900);
        assertThat(attack.failures())
                .as("answers at or above 500, or refusals that are no problem")
                .isEmpty();
    }
}
