package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A PKCS#8 key made by openssl and given in the configuration becomes the signing key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConfiguredSigningKeyTest {

    static final Path DIR = temp();
    static final Path KEY = DIR.resolve("signing.pem");
    static final Path PUBLIC = DIR.resolve("public.pem");

    @LocalServerPort int port;

    @DynamicPropertySource
    static void key(DynamicPropertyRegistry registry) throws Exception {
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", KEY.toString());
        run("openssl", "pkey", "-in", KEY.toString(), "-pubout", "-out", PUBLIC.toString());
        registry.add("lethe.certificates.signing-key-file", KEY::toString);
    }

    @Test
    void theConfiguredKeyIsTheActiveOne() throws Exception {
        String served =
                new Api(port)
                        .get(
                                "/api/v1/certificates/signing-key",
                                Map.of("Accept", "application/x-pem-file"))
                        .body();
        assertThat(Ed25519.der(served)).isEqualTo(Ed25519.der(Files.readString(PUBLIC)));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("lethe-key");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
