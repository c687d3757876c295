package io.lethe.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host agent as a process of its own on loopback, over an emulated kernel tree ({@code
 * io.lethe.agent.EmulatedAgent}). Its token and the emulated device's passphrase go through the
 * environment, not the command line. Its log is under {@code target/agents/}.
 */
public final class AgentProcess implements AutoCloseable {

    private final int port;
    private final ChildJvm process;
    private final String token;

    private AgentProcess(ChildJvm process, String token, int port) {
        this.port = port;
        this.process = process;
        this.token = token;
    }

    /**
     * An agent on an emulated kernel built under {@code root}; the passphrase is the locked
     * device's.
     */
    public static AgentProcess start(
            String name, Path root, String token, String passphrase, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("--emulated.root=" + root));
        args.addAll(extra);
        return start(
                name,
                "io.lethe.agent.EmulatedAgent",
                token,
                Map.of("EMULATED_PASSPHRASE", passphrase),
                args);
    }

    /** Any main class started in agent mode on a free port, ready once its inventory answers. */
    public static AgentProcess start(
            String name,
            String mainClass,
            String token,
            Map<String, String> env,
            List<String> extra) {
        int port = ChildJvm.freePort();
        List<String> arguments =
                new ArrayList<>(List.of("--lethe.mode=agent", "--server.port=" + port));
        arguments.addAll(extra);
        Map<String, String> environment = new HashMap<>(env);
        environment.put("LETHE_AGENT_TOKEN", token);
        ChildJvm child =
                ChildJvm.launch(
                        Path.of("target", "agents"),
                        name,
                        "256m",
                        mainClass,
                        arguments,
                        environment);
        AgentProcess agent = new AgentProcess(child, token, port);
        Api api = new Api(port, token);
        child.awaitReady(
                Duration.ofSeconds(90), () -> api.get("/agent/v1/inventory").status() == 200);
        return agent;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(port, token);
    }

    public Path log() {
        return process.log();
    }

    public String logText() {
        try {
            return Files.readString(process.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
