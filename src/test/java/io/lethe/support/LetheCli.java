package io.lethe.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real CLI ({@code cli/target/lethe-cli.jar}, through {@code cli/bin/lethe}) as a process
 * against a service on a port, with the URL and token in {@code LETHE_URL} and {@code LETHE_TOKEN},
 * in a working directory of the test's. Every run checks that the token was not printed.
 */
public final class LetheCli {

    static final Path LAUNCHER = Path.of("cli/bin/lethe");
    private final int port;
    private final Path dir;

    public LetheCli(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        assertThat(Path.of("cli/target/lethe-cli.jar"))
                .as("built by ./mvnw verify before the tests")
                .exists();
    }

    public record Run(int exit, String out, String err) {
        public JsonNode json() {
            return Api.JSON.readTree(out);
        }
    }

    public Run run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    public Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("LETHE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("LETHE_TOKEN", Api.ADMIN_TOKEN);
        builder.environment().putAll(env);
        builder.redirectError(dir.resolve("stderr").toFile())
                .redirectOutput(dir.resolve("stdout").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("lethe %s ended", String.join(" ", args))
                .isTrue();
        Run run =
                new Run(
                        process.exitValue(),
                        Files.readString(dir.resolve("stdout")),
                        Files.readString(dir.resolve("stderr")));
        assertThat(run.out() + run.err())
                .as("the token is never printed")
                .doesNotContain(Api.ADMIN_TOKEN);
        return run;
    }
}
