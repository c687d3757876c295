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

/**
 * docker-compose (Debian's, v1) accepts the compose file; the image runs as a non-root user with a
 * health check.
 */
class ComposeAndDockerfileTest {

    @Test
    @SuppressWarnings("unchecked")
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        Path compose = Tools.require("docker-compose");
        ProcessBuilder builder =
                new ProcessBuilder(compose.toString(), "-f", "docker-compose.yml", "config")
                        .redirectErrorStream(true);
        builder.environment().put("LETHE_BOOTSTRAP_TOKEN", "compose-check-token");
        builder.environment()
                .put("LETHE_SECRETS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        builder.environment().put("LETHE_DB_PASSWORD", "compose-check-db-password");
        builder.environment().put("GRAFANA_ADMIN_PASSWORD", "compose-check-grafana-password");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Map<String, Object> config = new Yaml().load(out);
        Map<String, Object> services = (Map<String, Object>) config.get("services");
        assertThat(services).containsKeys("lethe", "postgres", "prometheus", "grafana");
        Map<String, Object> lethe = (Map<String, Object>) services.get("lethe");
        assertThat(lethe.get("environment").toString())
                .contains("jdbc:postgresql://postgres:5432/lethe");
        for (String mounted :
                List.of(
                        "deploy/prometheus/prometheus.yml",
                        "deploy/grafana/provisioning/datasources/prometheus.yml",
                        "deploy/grafana/provisioning/dashboards/lethe.yml",
                        "helm/lethe/dashboards/lethe.json")) {
            assertThat(Path.of(mounted)).as("mounted by compose").exists();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void noPasswordHasADefaultAndGrafanaGivesAnonymousVisitorsViewOnly() throws Exception {
        Path compose = Tools.require("docker-compose");
        for (String missing :
                List.of(
                        "LETHE_DB_PASSWORD",
                        "GRAFANA_ADMIN_PASSWORD",
                        "LETHE_SECRETS_KEY",
                        "LETHE_BOOTSTRAP_TOKEN")) {
            ProcessBuilder builder =
                    new ProcessBuilder(compose.toString(), "-f", "docker-compose.yml", "config")
                            .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("LETHE_BOOTSTRAP_TOKEN", "compose-check-token-0123456789abcdef");
            env.put("LETHE_SECRETS_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
            env.put("LETHE_DB_PASSWORD", "compose-check-db-password");
            env.put("GRAFANA_ADMIN_PASSWORD", "compose-check-grafana-password");
            env.remove(missing);
            Process process = builder.start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("without %s: %s", missing, out).isNotZero();
            assertThat(out).contains(missing);
        }
        Map<String, Object> file = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        assertThat(file).as("the obsolete version key").doesNotContainKey("version");
        Map<String, Object> grafana =
                (Map<String, Object>) ((Map<String, Object>) file.get("services")).get("grafana");
        Map<String, Object> env = (Map<String, Object>) grafana.get("environment");
        assertThat(env.get("GF_AUTH_ANONYMOUS_ORG_ROLE")).isEqualTo("Viewer");
        assertThat(env).containsKey("GF_SECURITY_ADMIN_PASSWORD");
    }

    /**
     * Evidence a writer of the database cannot rewrite: the checkpoint file is on a volume of its
     * own, which the database's container never mounts, and the image lets its user write there.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theCheckpointFileIsOnAVolumeTheDatabaseNeverMounts() throws Exception {
        Map<String, Object> services =
                (Map<String, Object>)
                        new Yaml()
                                .<Map<String, Object>>load(
                                        Files.readString(Path.of("docker-compose.yml")))
                                .get("services");
        Map<String, Object> lethe = (Map<String, Object>) services.get("lethe");
        String file =
                (String)
                        ((Map<String, Object>) lethe.get("environment"))
                                .get("LETHE_AUDIT_CHECKPOINT_FILE");
        assertThat(file).isNotBlank();
        String mount =
                ((List<String>) lethe.get("volumes"))
                        .stream()
                                .filter(v -> file.startsWith(v.substring(v.indexOf(':') + 1) + "/"))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError(file + " is on no volume"));
        String volume = mount.substring(0, mount.indexOf(':'));
        assertThat(volume).isNotEqualTo("lethe-data");
        List<String> databases =
                (List<String>) ((Map<String, Object>) services.get("postgres")).get("volumes");
        assertThat(databases).noneMatch(v -> v.startsWith(volume + ":"));
        String directory = file.substring(0, file.lastIndexOf('/'));
        assertThat(Files.readString(Path.of("Dockerfile")))
                .containsPattern("chown lethe:lethe [^\\n]*" + directory);
    }

    @Test
    void theImageRunsAsANonRootUserWithAHealthCheckOnALayeredJar() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        List<String> users = dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users)
                .isNotEmpty()
                .allSatisfy(u -> assertThat(u).doesNotContain("root").doesNotContain(" 0"));
        assertThat(dockerfile)
                .contains("HEALTHCHECK")
                .contains("/actuator/health")
                .contains("extract --layers")
                .contains("JarLauncher");
    }
}
