package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.support.Api;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent fences region commands: it refuses a reset or commit without a fencing token, or with a
 * lower token than one it saw for the region, before anything is written to the kernel; and it
 * remembers the highest token across its own restarts. Judged on the emulated kernel's {@code
 * commit} attribute.
 */
class AgentRegionFencingTest {

    static final String TOKEN = "agent-token-for-the-fencing-test-0123";

    @TempDir Path root;
    EmulatedAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private Api start() {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(root, "unused-passphrase", false, Duration.ZERO),
                        TOKEN);
        return new Api(agent.port(), TOKEN);
    }

    private String commit() {
        return agent.kernel().read("sys/bus/cxl/devices/region0/commit");
    }

    @Test
    void aRegionCommandWithoutAFencingTokenIsRefusedAndChangesNothing() {
        Api api = start();
        for (String body : new String[] {"", "{}", "{\"fence\": 0}", "{\"fence\": -3}"}) {
            Api.Response refused = api.post("/agent/v1/regions/region0/reset", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asString()).contains("fencing token");
        }
        assertThat(commit()).as("the region still decodes").isEqualTo("1");
    }

    @Test
    void aCommandWithALowerTokenThanOneSeenIsRefusedBeforeTheKernelIsTouched() {
        Api api = start();
        assertThat(api.post("/agent/v1/regions/region0/reset", "{\"fence\": 7}").status())
                .isEqualTo(200);
        assertThat(commit()).isEqualTo("0");

        // A commit decided before that reset reaches the agent after it.
        Api.Response late = api.post("/agent/v1/regions/region0/commit", "{\"fence\": 6}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("code").asString()).isEqualTo("fenced");
        assertThat(commit()).as("the late commit changed nothing").isEqualTo("0");

        // The same token again is the same command retried; a higher one acts.
        assertThat(api.post("/agent/v1/regions/region0/reset", "{\"fence\": 7}").status())
                .isEqualTo(200);
        assertThat(api.post("/agent/v1/regions/region0/commit", "{\"fence\": 8}").status())
                .isEqualTo(200);
        assertThat(commit()).isEqualTo("1");
    }

    @Test
    void theHighestTokenSurvivesARestartOfTheAgent() {
        Path state = root.resolve("state");
        AgentProperties properties =
                new AgentProperties(
                        root.toString(),
                        null,
                        state.toString(),
                        null,
                        Duration.ofSeconds(1),
                        null,
                        null);
        new RegionFences(properties).admit("region0", 12);
        RegionFences afterRestart = new RegionFences(properties);
        assertThatThrownBy(() -> afterRestart.admit("region0", 11))
                .isInstanceOf(AgentProblem.class)
                .hasMessageContaining("a later command carried 12");
        afterRestart.admit("region0", 12);
        afterRestart.admit("region1", 1);
        assertThat(state.resolve("region-fences")).content().contains("region0=12", "region1=1");
    }
}
