package io.lethe.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of the service as a child JVM, for tests that kill, stop and restart it. Every
 * start is a new incarnation with a log of its own under {@code target/replicas/}; the port stays.
 */
public final class Replica {

    private final String name;
    private final int port;
    private final List<String> arguments;
    private final List<Path> logs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Process process;

    public Replica(String name, List<String> arguments) {
        this.name = name;
        this.port = freePort();
        this.arguments = List.copyOf(arguments);
    }

    /** The arguments that put a replica on a PostgreSQL schema of the test server. */
    public static List<String> postgres(String schema) {
        String separator = PostgresTestDatabase.URL.contains("?") ? "&" : "?";
        return List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + PostgresTestDatabase.URL + separator + "currentSchema=" + schema,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.datasource.password=" + PostgresTestDatabase.PASSWORD,
                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY,
                "--spring.flyway.schemas=" + schema, "--spring.flyway.default-schema=" + schema);
    }

    /** Starts a new incarnation and waits until it reports healthy. */
    public Replica start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", classPath(), "io.lethe.LetheApplication",
                "--server.port=" + port));
        command.addAll(arguments);
        try {
            Path dir = Files.createDirectories(Path.of("target", "replicas"));
            Path log = dir.resolve(name + "-" + (logs.size() + 1) + "-" + System.currentTimeMillis() + ".log");
            logs.add(log);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Api api = api();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("replica " + name + " died; see " + logs.get(logs.size() - 1), () -> !started.isAlive())
                .until(() -> api.get("/actuator/health").status() == 200);
        return this;
    }

    /** SIGKILL: no shutdown hook runs. Returns when the process is gone. */
    public Instant kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        return Instant.now();
    }

    /** SIGTERM: a graceful stop. */
    public void terminate() {
        process.destroy();
    }

    public boolean waitForExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
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

    /** Surefire runs tests from a manifest-only jar; the real class path is in its own property. */
    public static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
