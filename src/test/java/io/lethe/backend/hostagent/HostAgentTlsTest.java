package io.lethe.backend.hostagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lethe.agent.EmulatedAgent;
import io.lethe.agent.EmulatedKernel;
import io.lethe.support.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The agent serving TLS with its own key store, the orchestrator trusting it through a configured
 * trust store: discovery works over https, and a client without that trust cannot even connect.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostAgentTlsTest {

    static final String TOKEN = "agent-token-for-the-tls-test-0123";
    static final String STORE_PASSWORD = "store-password-0123";
    static final Path DIR = keys();
    static EmulatedAgent agent;

    @LocalServerPort int port;

    @DynamicPropertySource
    static void trust(DynamicPropertyRegistry registry) {
        registry.add("lethe.host-agent.trust-store", () -> DIR.resolve("trust.p12").toString());
        registry.add("lethe.host-agent.trust-store-password", () -> STORE_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void discoversAnAgentOverTlsTrustedThroughTheTrustStore() throws Exception {
        agent =
                EmulatedAgent.start(
                        EmulatedKernel.standard(
                                Files.createTempDirectory("lethe-tls-"),
                                "tls-passphrase",
                                false,
                                Duration.ofMillis(300),
                                0x30_0000),
                        TOKEN,
                        "--server.ssl.enabled=true",
                        "--server.ssl.key-store=" + DIR.resolve("agent.p12"),
                        "--server.ssl.key-store-password=" + STORE_PASSWORD,
                        "--server.ssl.key-store-type=PKCS12");
        String url = "https://127.0.0.1:" + agent.port();
        Api api = new Api(port);
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "agent-tls",
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "host-agent",
                                                        "url",
                                                        url,
                                                        "token",
                                                        TOKEN))))
                        .id();
        Api.Response discovered = api.post("/api/v1/hosts/" + host + "/discover", "");
        assertThat(discovered.status()).as(discovered.toString()).isEqualTo(200);
        assertThat(discovered.json().at("/devices/created")).hasSize(5);

        HttpClient untrusting =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(
                        () ->
                                untrusting.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(url + "/agent/v1/inventory"))
                                                .header("Authorization", "Bearer " + TOKEN)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLException.class);
        HttpClient plain = HttpClient.newHttpClient();
        assertThat(
                        plain.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + agent.port()
                                                                        + "/agent/v1/inventory"))
                                                .header("Authorization", "Bearer " + TOKEN)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                .as("plain HTTP to a TLS port is refused")
                .isEqualTo(400);
    }

    /**
     * A self-signed key for 127.0.0.1 in the agent's key store, its certificate in the
     * orchestrator's trust store.
     */
    private static Path keys() {
        try {
            Path dir = Files.createTempDirectory("lethe-tls-keys-");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(
                    List.of(
                            keytool,
                            "-genkeypair",
                            "-alias",
                            "agent",
                            "-keyalg",
                            "EC",
                            "-groupname",
                            "secp256r1",
                            "-dname",
                            "CN=127.0.0.1",
                            "-ext",
                            "SAN=ip:127.0.0.1,dns:localhost",
                            "-validity",
                            "2",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            dir.resolve("agent.p12").toString(),
                            "-storepass",
                            STORE_PASSWORD,
                            "-keypass",
                            STORE_PASSWORD));
            run(
                    List.of(
                            keytool,
                            "-exportcert",
                            "-alias",
                            "agent",
                            "-keystore",
                            dir.resolve("agent.p12").toString(),
                            "-storepass",
                            STORE_PASSWORD,
                            "-file",
                            dir.resolve("agent.crt").toString()));
            run(
                    List.of(
                            keytool,
                            "-importcert",
                            "-noprompt",
                            "-alias",
                            "agent",
                            "-file",
                            dir.resolve("agent.crt").toString(),
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            dir.resolve("trust.p12").toString(),
                            "-storepass",
                            STORE_PASSWORD));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
