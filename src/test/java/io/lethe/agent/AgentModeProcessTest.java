package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.AgentProcess;
import io.lethe.support.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's own main class with {@code --lethe.mode=agent}, as on a host: only the agent starts (no
 * database, no migrations, no scheduler), and it reads and writes the plain files under its root
 * through the production file access, with no emulation behind them.
 */
class AgentModeProcessTest {

    static final String TOKEN = "agent-token-for-the-main-test-0123";

    @TempDir Path root;

    @Test
    void theMainClassInAgentModeStartsOnlyTheAgentOverTheFilesUnderItsRoot() throws Exception {
        EmulatedKernel.standard(root, "unused-passphrase", false, Duration.ofSeconds(1));
        try (AgentProcess agent =
                AgentProcess.start(
                        "main",
                        "io.lethe.LetheApplication",
                        TOKEN,
                        Map.of(),
                        List.of("--lethe.agent.root=" + root))) {
            Api api = agent.api();
            var inventory = api.get("/agent/v1/inventory").json();
            assertThat(inventory.path("memdevs")).hasSize(4);
            assertThat(inventory.path("regions").get(0).path("memdevSerials").toString())
                    .isEqualTo("[\"0x1000\",\"0x1001\"]");
            assertThat(api.post("/agent/v1/regions/region0/reset", fence()).status())
                    .isEqualTo(200);
            assertThat(root.resolve("sys/bus/cxl/devices/region0/commit"))
                    .content()
                    .isEqualTo("0\n");
            assertThat(api.withToken(null).get("/agent/v1/inventory").status()).isEqualTo(401);
            assertThat(api.get("/api/v1/hosts").status())
                    .as("no orchestrator API in agent mode")
                    .isEqualTo(404);
            assertThat(agent.logText())
                    .contains("lethe-agent")
                    .doesNotContain("HikariPool", "Flyway", "db-scheduler", TOKEN);
        }
    }

    private static final AtomicLong FENCES = new AtomicLong();

    /** A region command's body with a fencing token higher than every one sent before. */
    static String fence() {
        return "{\"fence\": " + FENCES.incrementAndGet() + "}";
    }
}
