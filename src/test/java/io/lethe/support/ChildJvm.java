package io.lethe.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests start a JVM of their own ({@link Replica}, {@link AgentProcess}): a main class
 * of the test class path, its output in a log file of its own, extra environment, and a wait until
 * it is ready that gives up at once, naming the log, when the process dies.
 */
public final class ChildJvm {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code arguments} and returns at once; the log goes to {@code
     * logDir/name-<millis>.log}.
     */
    public static ChildJvm launch(
            Path logDir,
            String name,
            String heap,
            String mainClass,
            List<String> arguments,
            Map<String, String> environment) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java(),
                                "-Xmx" + heap,
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                classPath(),
                                mainClass));
        command.addAll(arguments);
        try {
            Path log =
                    Files.createDirectories(logDir)
                            .resolve(name + "-" + System.currentTimeMillis() + ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code ready} answers true (an exception counts as not yet), within {@code
     * atMost}; gives up at once, naming the log, when the process dies.
     */
    public ChildJvm awaitReady(Duration atMost, Callable<Boolean> ready) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .failFast("the process died; see " + log, () -> !process.isAlive())
                .until(ready);
        return this;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs. Returns when the process is gone (or after 30 s). */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: a graceful stop. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        if (!waitForExit(grace)) {
            process.destroyForcibly();
        }
    }

    public boolean waitForExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This JVM's own java launcher. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in its own property. */
    public static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank()
                ? surefire
                : System.getProperty("java.class.path");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
