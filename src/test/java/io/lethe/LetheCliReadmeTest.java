package io.lethe;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the README's five CLI pipeline steps, as written, with bash and the built {@code lethe}
 * against a fresh service holding the fleet they name: the README's examples are a tested contract.
 */
class LetheCliReadmeTest {

    @TempDir Path dir;

    @Test
    void theReadmesPipelineStepsRunAsWritten() throws Exception {
        Tools.require("jq");
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## The lethe command-line client"));
        section =
                section.substring(
                        section.indexOf("Five pipeline steps"), section.indexOf("\n## ", 5));
        List<String> steps = new ArrayList<>();
        String[] parts = section.split("```");
        for (int i = 1; i < parts.length; i += 2) {
            steps.add(parts[i].strip());
        }
        assertThat(steps).hasSize(5);
        // The one substitution: this fleet is simulated, and a simulated erase's certificate exits
        // 5 unless accepted (as the README says below the steps).
        String verify = "--key lethe-signing.pem";
        assertThat(steps.get(4)).contains(verify);
        steps.set(4, steps.get(4).replace(verify, verify + " --allow-simulated"));

        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LetheApplication.class).run("--server.port=0")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Api api = new Api(port);
            String tenantHost = host(api, "3");
            String device = device(api, tenantHost, "README-1", Map.of());
            String locked =
                    device(
                            api,
                            tenantHost,
                            "README-2",
                            Map.of("securityState", "locked", "passphrase", "correct horse"));
            String old = device(api, tenantHost, "README-3", Map.of());
            for (int i = 0; i < 2; i++) {
                String rackHost = host(api, "7");
                device(api, rackHost, "RACK7-" + i + "-A", Map.of());
                device(api, rackHost, "RACK7-" + i + "-B", Map.of());
            }

            ProcessBuilder bash =
                    new ProcessBuilder(
                                    "bash", "-c", "set -euo pipefail\n" + String.join("\n", steps))
                            .directory(dir.toFile())
                            .redirectErrorStream(true);
            Map<String, String> env = bash.environment();
            env.put("PATH", Path.of("cli/bin").toAbsolutePath() + ":" + env.get("PATH"));
            env.put("LETHE_URL", "http://127.0.0.1:" + port);
            env.put("LETHE_TOKEN", Api.ADMIN_TOKEN);
            env.put("DEVICE", device);
            env.put("LOCKED_DEVICE", locked);
            env.put("OLD_DEVICE", old);
            env.put("DEVICE_PASSPHRASE", "correct horse");
            Process process = bash.start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as(out).isZero();

            assertThat(out)
                    .contains("signature verified")
                    .doesNotContain(Api.ADMIN_TOKEN)
                    .doesNotContain("correct horse");
            assertThat(dir.resolve("certificate-" + device + ".jws")).exists();
            assertThat(api.get("/api/v1/devices/" + locked).json().get("securityState").asString())
                    .isEqualTo("unlocked");
            assertThat(api.get("/api/v1/devices/" + old).json().get("status").asString())
                    .isEqualTo("decommissioned");
            assertThat(api.get("/api/v1/batches?state=succeeded").json().get("items")).hasSize(1);
            assertThat(api.get("/api/v1/operations?state=succeeded&limit=1000").json().get("items"))
                    .as("one erase, a batch of four, an unlock, a decommission")
                    .hasSize(7);
        }
    }

    private static String host(Api api, String rack) {
        return api.post(
                        "/api/v1/hosts",
                        Api.json(
                                Map.of(
                                        "name",
                                        "rack" + rack + "-" + System.nanoTime(),
                                        "labels",
                                        Map.of("rack", rack),
                                        "backend",
                                        Map.of("type", "simulated-x86"))))
                .id();
    }

    private static String device(Api api, String host, String serial, Map<String, String> extra) {
        Map<String, Object> body =
                new HashMap<>(
                        Map.of("serial", serial, "kind", "cxl-memdev", "capacityBytes", 1048576));
        body.putAll(extra);
        return api.post("/api/v1/hosts/" + host + "/devices", Api.json(body)).id();
    }
}
