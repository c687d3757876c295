package io.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's build stage, replayed without Docker (none runs here): its COPY lines copy from
 * this repository into an empty directory and its RUN lines run there, so a build that needs a file
 * the Dockerfile does not copy fails here as it would in {@code docker build}. The stage must leave
 * the jar the next stage copies.
 */
class DockerBuildStageTest {

    @TempDir Path context;

    @Test
    void theBuildStageBuildsTheJarFromWhatItCopies() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        List<String> stage = new ArrayList<>();
        boolean inBuild = false;
        for (String line : lines) {
            if (line.startsWith("FROM ")) {
                if (inBuild) {
                    break;
                }
                inBuild = line.contains(" AS build");
            } else if (inBuild && !line.isBlank() && !line.startsWith("#")) {
                stage.add(line.strip());
            }
        }
        assertThat(stage)
                .as("the build stage")
                .anyMatch(l -> l.startsWith("RUN "))
                .anyMatch(l -> l.startsWith("COPY "));
        for (String instruction : stage) {
            if (instruction.startsWith("COPY ")) {
                String[] parts = instruction.substring(5).trim().split("\\s+");
                Path target = context.resolve(parts[parts.length - 1]);
                for (int i = 0; i < parts.length - 1; i++) {
                    copy(
                            Path.of(parts[i]),
                            parts.length > 2 || parts[parts.length - 1].endsWith("/")
                                    ? target.resolve(Path.of(parts[i]).getFileName().toString())
                                    : target);
                }
            } else if (instruction.startsWith("RUN ")) {
                ProcessBuilder run =
                        new ProcessBuilder("bash", "-c", instruction.substring(4))
                                .directory(context.toFile())
                                .redirectErrorStream(true);
                Process process = run.start();
                String out =
                        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue()).as("%s%n%s", instruction, out).isZero();
            }
        }
        assertThat(context.resolve("target/lethe.jar"))
                .as("the jar the next stage copies")
                .exists();

        // The jar starts on its own class path (not the tests'): a dependency the build scoped to
        // the tests by mistake shows here, as it would in the image.
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process jar =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                context.resolve("target/lethe.jar").toString(),
                                "--server.port=" + port,
                                "--lethe.data-dir=" + context.resolve("data"),
                                "--lethe.security.bootstrap-token=docker-stage-check-token-0123456789")
                        .redirectErrorStream(true)
                        .redirectOutput(context.resolve("jar.log").toFile())
                        .start();
        try {
            String health = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && jar.isAlive() && !health.contains("UP")) {
                Thread.sleep(500);
                try {
                    health = new Api(port, null).get("/actuator/health").body();
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
            }
            assertThat(health)
                    .as(
                            "the built jar starts healthy:%n%s",
                            Files.readString(context.resolve("jar.log")))
                    .contains("UP");
        } finally {
            jar.destroyForcibly();
            jar.waitFor();
        }
    }

    private static void copy(Path source, Path target) throws Exception {
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path file : (Iterable<Path>) walk::iterator) {
                    if (file.toString().contains("/target/")
                            || file.startsWith(source.resolve("target"))) {
                        continue;
                    }
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(
                                file,
                                to,
                                StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } else {
            Files.createDirectories(target.getParent());
            Files.copy(
                    source,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
