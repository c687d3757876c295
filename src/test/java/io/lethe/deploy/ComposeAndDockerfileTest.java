package io.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose (Debian's, v1) accepts the compose file; the image runs as a non-root user with a health check. */
class ComposeAndDockerfileTest {

    @Test
    @SuppressWarnings("unchecked")
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        Path compose = Tools.require("docker-compose");
        ProcessBuilder builder = new ProcessBuilder(compose.toString(), "-f", "docker-compose.yml", "config").redirectErrorStream(true);
        builder.environment().put("LETHE_BOOTSTRAP_TOKEN", "compose-check-token");
        builder.environment().put("LETHE_SECRETS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Map<String, Object> config = new Yaml().load(out);
        Map<String, Object> services = (Map<String, Object>) config.get("services");
        assertThat(services).containsKeys("lethe", "postgres", "prometheus", "grafana");
        Map<String, Object> lethe = (Map<String, Object>) services.get("lethe");
        assertThat(lethe.get("environment").toString()).contains("jdbc:postgresql://postgres:5432/lethe");
        for (String mounted : List.of("deploy/prometheus/prometheus.yml", "deploy/grafana/provisioning/datasources/prometheus.yml",
                "deploy/grafana/provisioning/dashboards/lethe.yml", "helm/lethe/dashboards/lethe.json")) {
            assertThat(Path.of(mounted)).as("mounted by compose").exists();
        }
    }

    @Test
    void theImageRunsAsANonRootUserWithAHealthCheckOnALayeredJar() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        List<String> users = dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty().allSatisfy(u -> assertThat(u).doesNotContain("root").doesNotContain(" 0"));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("/actuator/health").contains("extract --layers")
                .contains("JarLauncher");
    }
}
