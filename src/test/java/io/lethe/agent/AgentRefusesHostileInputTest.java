package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.HostileInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent, like the service, answers hostile input ({@link HostileInput}) to every operation of
 * the OpenAPI document it serves below 500, every refusal a problem detail without a stack trace.
 * Real serials and a real region of its emulated kernel stand in the paths, so that requests reach
 * the agent's own checks; assumes the agent's spec declares its parameters and bodies.
 */
class AgentRefusesHostileInputTest {

    static final String TOKEN = "agent-token-for-the-hostile-input-0123";

    @TempDir Path root;

    @Test
    void everyOperationAnswersHostileInputBelow500WithProblemDetails() {
        try (EmulatedAgent agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                root, "a-passphrase-for-the-locked-one", false, Duration.ZERO),
                        TOKEN)) {
            Api api = new Api(agent.port(), TOKEN);
            HostileInput attack =
                    new HostileInput(api, Map.of("devices", "0x1000", "regions", "region0"))
                            .attackEveryOperation(api.get("/v3/api-docs").json(), "/agent/");

            assertThat(attack.reach().operations()).as("operations attacked").isGreaterThan(6);
            assertThat(attack.reach().fields())
                    .as("body fields given wrong values")
                    .isGreaterThan(3);
            assertThat(attack.failures())
                    .as("answers at or above 500, or refusals that are no problem")
                    .isEmpty();
        }
    }
}
