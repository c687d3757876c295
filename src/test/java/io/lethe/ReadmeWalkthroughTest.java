package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Runs the README's curl walk-through, as written, with bash and curl against a fresh service
 * started with the README's bootstrap token: the walk-through is a tested contract.
 */
class ReadmeWalkthroughTest {

    @Test
    void theReadmeWalkthroughWorksFromAFreshStart() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## A walk-through with curl"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        List<String> blocks = new ArrayList<>();
        String[] parts = section.split("```");
        for (int i = 1; i < parts.length; i += 2) {
            blocks.add(parts[i]);
        }
        String startCommand = blocks.remove(0);
        String token =
                startCommand
                        .substring(startCommand.indexOf('=') + 1, startCommand.indexOf(' '))
                        .trim();

        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class)
                        .run("--server.port=0", "--lethe.security.bootstrap-token=" + token)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String script =
                    String.join("\n", blocks)
                            .lines()
                            .filter(l -> !l.contains("<id>"))
                            .map(l -> l.replace("localhost:8080", "localhost:" + port))
                            .reduce("set -e", (a, b) -> a + "\n" + b);
            Process bash =
                    new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(bash.exitValue()).as(out).isZero();
            assertThat(out)
                    .contains(
                            "\"name\":\"region0\"",
                            "\"secret\":\"lethe_",
                            "lethe_cache_invalidations_total")
                    .doesNotContain("\"status\":4", "\"status\":5");

            JsonNode operations =
                    new Api(port, token).get("/api/v1/operations").json().get("items");
            assertThat(operations.valueStream().map(o -> o.get("type").asString()))
                    .containsExactly("attach-region", "secure-erase");
            JsonNode attach = operations.get(0);
            assertThat(attach.get("state").asString())
                    .as("the region's attach, which the walk-through waits for")
                    .isEqualTo("succeeded");
            assertThat(out).contains("\"type\":\"attach-region\"");
            JsonNode op = operations.get(1);
            assertThat(op.get("state").asString()).as(op.toString()).isEqualTo("succeeded");
            assertThat(op.get("requestedBy").asString()).isEqualTo("bootstrap");
            assertThat(op.get("steps").get(3).get("attempts").asInt())
                    .as("the fail-once invalidation was retried")
                    .isEqualTo(2);
        }
    }
}
