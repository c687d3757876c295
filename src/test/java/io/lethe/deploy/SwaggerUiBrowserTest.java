package io.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Swagger UI in headless Chromium (Debian's): the rendered page lists the operation endpoints, and
 * a screenshot is kept at target/swagger-ui.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SwaggerUiBrowserTest {

    @LocalServerPort int port;
    @TempDir Path profile;

    @Test
    void swaggerUiRendersTheOperationEndpoints() throws Exception {
        Path chromium = Tools.require("chromium", "chromium-browser", "google-chrome");
        String url = "http://127.0.0.1:" + port + "/swagger-ui/index.html";
        String dom = run(chromium, "--dump-dom", url);
        assertThat(dom)
                .contains("Lethe API")
                .contains("/api/v1/devices/{id}/secure-erase")
                .contains("/api/v1/devices/{id}/unlock")
                .contains("/api/v1/devices/{id}/decommission")
                .contains("/api/v1/operations/{id}");
        Path screenshot = Path.of("target", "swagger-ui.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        run(chromium, "--screenshot=" + screenshot, "--window-size=1400,2400", url);
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot))
                .as("a real picture, not an empty page")
                .isGreaterThan(30_000);
    }

    private String run(Path chromium, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--disable-dev-shm-usage",
                                "--user-data-dir=" + profile,
                                "--virtual-time-budget=20000"));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
