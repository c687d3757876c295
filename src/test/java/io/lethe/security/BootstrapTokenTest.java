package io.lethe.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.LetheApplication;
import io.lethe.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Without LETHE_BOOTSTRAP_TOKEN the first start writes an admin token to an owner-only file and logs only its path. */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapTokenTest {

    @TempDir
    Path data;

    @Test
    void aGeneratedFirstAdminTokenIsWrittenOwnerOnlyAndNeverLogged(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LetheApplication.class).run("--server.port=0",
                "--lethe.data-dir=" + data, "--lethe.security.bootstrap-token=")) {
            Path file = data.resolve("bootstrap-token");
            String token = Files.readString(file).trim();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(output.getAll()).contains(file.toAbsolutePath().toString()).doesNotContain(token);
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(new Api(port, token).get("/api/v1/tokens").status()).isEqualTo(200);
            assertThat(new Api(port, null).get("/api/v1/tokens").status()).isEqualTo(401);
        }
    }
}
