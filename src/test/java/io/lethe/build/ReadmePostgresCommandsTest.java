package io.lethe.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.RequiresPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 36, item 6: the README's PostgreSQL commands, run as written in a copy of the project (a
 * nested build in place would rewrite {@code target/classes} under the running tests), start the
 * service on PostgreSQL. The substitutions, all outside the commands' text except the database
 * name: the database is {@code lethe_readme_<random>} instead of {@code lethe} (the profile's URL
 * follows through {@code LETHE_DB_URL}), host and port are the test server's, and {@code
 * SERVER_PORT} is a free port instead of 8080. Rests on: the README block being the first fenced
 * block under "## PostgreSQL".
 */
@RequiresPostgres
class ReadmePostgresCommandsTest {

    @TempDir Path project;

    @Test
    void theReadmesPostgresCommandsStartTheServiceAsWritten() throws Exception {
        String commands = readmeBlock();
        assertThat(commands).contains("createdb", "LETHE_SECRETS_KEY", "spring-boot:run");
        String database =
                "lethe_readme_"
                        + Integer.toHexString(
                                ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
        URI server = URI.create(PostgresTestDatabase.URL.substring("jdbc:".length()));
        String script =
                commands.replace("-h 127.0.0.1", "-h " + server.getHost() + " -p " + port(server))
                        .replace(" lethe\n", " " + database + "\n");
        copyProject();
        int port = freePort();
        ProcessBuilder builder =
                new ProcessBuilder("bash", "-ec", script)
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(project.resolve("run.log").toFile());
        Map<String, String> env = builder.environment();
        env.put(
                "LETHE_DB_URL",
                "jdbc:postgresql://" + server.getHost() + ":" + port(server) + "/" + database);
        env.put("LETHE_DB_USER", PostgresTestDatabase.USER);
        env.put("LETHE_DB_PASSWORD", PostgresTestDatabase.PASSWORD);
        env.put("PGPASSWORD", PostgresTestDatabase.PASSWORD);
        env.put("SERVER_PORT", Integer.toString(port));
        env.remove("LETHE_SECRETS_KEY");
        Process run = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String health = awaitHealth(http, port, run, Duration.ofMinutes(5));
            assertThat(health).as(log()).contains("\"UP\"");
            HttpResponse<String> hosts =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + port + "/api/v1/hosts"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(hosts.statusCode()).as("running, and closed to strangers").isEqualTo(401);
            assertThat(log()).contains("PostgreSQL");
        } finally {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
            run.onExit().get();
            try (Connection c = PostgresTestDatabase.connect();
                    Statement s = c.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            }
        }
    }

    private static String readmeBlock() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## PostgreSQL\n");
        assertThat(section).as("the README's PostgreSQL section").isPositive();
        int open = readme.indexOf("```\n", section) + 4;
        return readme.substring(open, readme.indexOf("```", open));
    }

    private void copyProject() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        for (String top : List.of("pom.xml", "mvnw", ".mvn", "src/main", "api")) {
            try (Stream<Path> files = Files.walk(here.resolve(top))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path to = project.resolve(here.relativize(file));
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private String awaitHealth(HttpClient http, int port, Process run, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(run.isAlive()).as("the README's commands ended early:%n%s", log()).isTrue();
            try {
                HttpResponse<String> health =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/actuator/health"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return health.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not healthy within " + limit + ":\n" + log());
    }

    private String log() {
        try {
            String text = Files.readString(project.resolve("run.log"));
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int port(URI server) {
        return server.getPort() < 0 ? 5432 : server.getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
