package io.lethe.support;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One instance of the service as a child JVM, for tests that kill, stop and restart it. Every start
 * is a new incarnation with a log of its own under {@code target/replicas/}; the port stays.
 */
public final class Replica {

    private final String name;
    private final int port;
    private final List<String> arguments;
    private final List<Path> logs = new CopyOnWriteArrayList<>();
    private volatile ChildJvm process;

    public Replica(String name, List<String> arguments) {
        this.name = name;
        this.port = freePort();
        this.arguments = List.copyOf(arguments);
    }

    /** The arguments that put a replica on a PostgreSQL schema of the test server. */
    public static List<String> postgres(String schema) {
        String separator = PostgresTestDatabase.URL.contains("?") ? "&" : "?";
        return List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url="
                        + PostgresTestDatabase.URL
                        + separator
                        + "currentSchema="
                        + schema,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.default-schema=" + schema);
    }

    /** Starts a new incarnation and waits until it reports healthy. */
    public Replica start() {
        List<String> command = new ArrayList<>(List.of("--server.port=" + port));
        command.addAll(arguments);
        ChildJvm started =
                ChildJvm.launch(
                        Path.of("target", "replicas"),
                        name + "-" + (logs.size() + 1),
                        "384m",
                        "io.lethe.LetheApplication",
                        command,
                        Map.of());
        logs.add(started.log());
        process = started;
        Api api = api();
        started.awaitReady(
                Duration.ofSeconds(120), () -> api.get("/actuator/health").status() == 200);
        return this;
    }

    /** SIGKILL: no shutdown hook runs. Returns when the process is gone. */
    public Instant kill() {
        process.kill();
        return Instant.now();
    }

    /** SIGTERM: a graceful stop. */
    public void terminate() {
        process.terminate();
    }

    public boolean waitForExit(Duration atMost) {
        return process.waitForExit(atMost);
    }

    public boolean alive() {
        return process != null && process.alive();
    }

    public String name() {
        return name;
    }

    public Api api() {
        return new Api(port);
    }

    /** The logs of every incarnation, oldest first. */
    public List<Path> logs() {
        return List.copyOf(logs);
    }

    public Path currentLog() {
        return logs.get(logs.size() - 1);
    }

    public static int freePort() {
        return ChildJvm.freePort();
    }
}
