package io.lethe.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host agent as a process of its own on loopback, over an emulated kernel tree
 * ({@code io.lethe.agent.EmulatedAgent}). Its token and the emulated device's passphrase go
 * through the environment, not the command line. Its log is under {@code target/agents/}.
 */
public final class AgentProcess implements AutoCloseable {

    private final int port;
    private final Process process;
    private final Path log;
    private final String token;

    private AgentProcess(Process process, Path log, String token, int port) {
        this.port = port;
        this.process = process;
        this.log = log;
        this.token = token;
    }

    /** An agent on an emulated kernel built under {@code root}; the passphrase is the locked device's. */
    public static AgentProcess start(String name, Path root, String token, String passphrase, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("--emulated.root=" + root));
        args.addAll(extra);
        return start(name, "io.lethe.agent.EmulatedAgent", token, java.util.Map.of("EMULATED_PASSPHRASE", passphrase), args);
    }

    /** Any main class started in agent mode on a free port, ready once its inventory answers. */
    public static AgentProcess start(String name, String mainClass, String token, java.util.Map<String, String> env,
            List<String> extra) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "agents"));
            Path log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log");
            int port = Replica.freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", Replica.classPath(), mainClass,
                    "--lethe.mode=agent", "--server.port=" + port));
            command.addAll(extra);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("LETHE_AGENT_TOKEN", token);
            builder.environment().putAll(env);
            AgentProcess agent = new AgentProcess(builder.start(), log, token, port);
            Api api = new Api(port, token);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("agent " + name + " died; see " + log, () -> !agent.process.isAlive())
                    .until(() -> api.get("/agent/v1/inventory").status() == 200);
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(port, token);
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
