package io.lethe.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lethe.support.Api;
import io.lethe.support.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's own main class with {@code --lethe.mode=agent}, as on a host: only the agent starts (no
 * database, no migrations, no scheduler), and it reads and writes the plain files under its root
 * through the production file access, with no emulation behind them.
 */
class AgentModeProcessTest {

    static final String TOKEN = "agent-token-for-the-main-test-0123";

    @TempDir
    Path root;

    @Test
    void theMainClassInAgentModeStartsOnlyTheAgentOverTheFilesUnderItsRoot() throws Exception {
        EmulatedKernel.standard(root, "unused-passphrase", false, Duration.ofSeconds(1));
        int port = Replica.freePort();
        Path log = Files.createDirectories(Path.of("target", "agents")).resolve("main-" + System.currentTimeMillis() + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", Replica.classPath(), "io.lethe.LetheApplication",
                "--lethe.mode=agent", "--server.port=" + port, "--lethe.agent.root=" + root))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LETHE_AGENT_TOKEN", TOKEN);
        Process process = builder.start();
        try {
            Api api = new Api(port, TOKEN);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast(() -> !process.isAlive())
                    .until(() -> api.get("/agent/v1/inventory").status() == 200);
            var inventory = api.get("/agent/v1/inventory").json();
            assertThat(inventory.path("memdevs")).hasSize(4);
            assertThat(inventory.path("regions").get(0).path("memdevSerials").toString()).isEqualTo("[\"0x1000\",\"0x1001\"]");
            assertThat(api.post("/agent/v1/regions/region0/reset", "").status()).isEqualTo(200);
            assertThat(root.resolve("sys/bus/cxl/devices/region0/commit")).content().isEqualTo("0\n");
            assertThat(api.withToken(null).get("/agent/v1/inventory").status()).isEqualTo(401);
            assertThat(api.get("/api/v1/hosts").status()).as("no orchestrator API in agent mode").isEqualTo(404);
            String text = Files.readString(log);
            assertThat(text).contains("lethe-agent").doesNotContain("HikariPool", "Flyway", "db-scheduler", TOKEN);
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
