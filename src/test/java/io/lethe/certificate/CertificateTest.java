package io.lethe.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.support.Api;
import io.lethe.support.Api.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Certificates of sanitization: issued only for succeeded erases, right in content, verifiable with
 * openssl.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CertificateTest {

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @TempDir Path dir;
    Api api;
    String host;

    @BeforeEach
    void fleet() {
        api = new Api(port);
        host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "cert-" + UUID.randomUUID(),
                                                "labels",
                                                Map.of("rack", "9"),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of("erase", "PT1S")))))
                        .id();
    }

    @Test
    void aSucceededSecureEraseHasASignedCertificateWithTheRightFacts() throws Exception {
        String serial = "CERT-" + UUID.randomUUID();
        String device = device(serial, "cxl-memdev");
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\", \"reason\": \"hand-off\"}")
                        .id();
        Response early = api.get("/api/v1/operations/" + op + "/certificate");
        assertThat(early.status()).as("no certificate before the erase succeeded").isEqualTo(404);
        assertThat(early.contentType()).startsWith("application/problem+json");
        JsonNode operation = awaitEnd(op);

        Response cert = api.get("/api/v1/operations/" + op + "/certificate");
        assertThat(cert.status()).as(cert.toString()).isEqualTo(200);
        JsonNode payload = cert.json().get("payload");
        assertThat(payload.at("/media/serialNumber").asString()).isEqualTo(serial);
        assertThat(payload.at("/media/type").asString()).isEqualTo("CXL memory device");
        assertThat(payload.at("/sanitization/category").asString()).isEqualTo("Purge");
        assertThat(payload.at("/sanitization/method").asString()).isEqualTo("sanitize");
        assertThat(payload.at("/cacheInvalidation/startedAt").asString())
                .isEqualTo(operation.get("invalidationStartedAt").asString());
        assertThat(payload.at("/destination").asString()).isEqualTo("reuse");
        JsonNode closing = exported(payload.at("/audit/recordId").asString());
        assertThat(closing.at("/record/operationId").asString()).isEqualTo(op);
        assertThat(closing.at("/record/action").asString()).isEqualTo("ended");
        assertThat(closing.at("/record/outcome").asString()).isEqualTo("succeeded");
        assertThat(payload.at("/audit/contentHash").asString())
                .as("the closing record's content, as the export shows it, hashed")
                .isEqualTo(sha256(Api.JSON.writeValueAsString(closing.get("record"))));
        assertThat(payload.get("simulated").asBoolean())
                .as("signed in: no real erase happened on a simulated host")
                .isTrue();

        String jws =
                api.get(
                                "/api/v1/operations/" + op + "/certificate",
                                Map.of("Accept", "application/jose"))
                        .body();
        assertThat(jws).isEqualTo(cert.json().get("jws").asString());
        assertThat(
                        api.get("/api/v1/operations/" + op + "/certificate")
                                .json()
                                .get("jws")
                                .asString())
                .as("issued once")
                .isEqualTo(jws);
        JsonNode header =
                Api.JSON.readTree(
                        Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
        assertThat(header.get("alg").asString()).isEqualTo("EdDSA");

        String pem =
                api.get(
                                "/api/v1/certificates/signing-key",
                                Map.of("Accept", "application/x-pem-file"))
                        .body();
        assertThat(opensslVerifies(jws, pem)).as("openssl verifies the signature").isTrue();
        String[] parts = jws.split("\\.");
        byte[] body = Base64.getUrlDecoder().decode(parts[1]);
        body[body.length / 2] ^= 1;
        String tampered =
                parts[0]
                        + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(body)
                        + "."
                        + parts[2];
        assertThat(opensslVerifies(tampered, pem)).as("one changed byte breaks it").isFalse();

        Response html =
                api.get("/api/v1/operations/" + op + "/certificate", Map.of("Accept", "text/html"));
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.body())
                .contains("Certificate of Sanitization", serial, "Purge", "sanitize");
        assertThat(html.body())
                .as("a visible banner on a simulated host's certificate")
                .contains("SIMULATED: no memory device was erased");
        assertThat(html.headers().get("content-security-policy"))
                .contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
        Response any =
                api.get("/api/v1/operations/" + op + "/certificate", Map.of("Accept", "*/*"));
        assertThat(any.contentType())
                .as("what curl asks for by default gets the compact JWS, as the README says")
                .startsWith("application/jose");
        assertThat(any.body()).isEqualTo(jws);
    }

    /**
     * The attack of issue 35, item 2: the host's row edited to claim a real backend after the erase
     * succeeded. The certificate was signed with the success, from the operation's own record; a
     * fetch reads it and writes nothing.
     */
    @Test
    void theCertificateIsSignedWhenTheEraseSucceedsAndNoLaterEditReachesIt() {
        String op =
                api.post(
                                "/api/v1/devices/"
                                        + device("AT-" + UUID.randomUUID(), "cxl-memdev")
                                        + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        awaitEnd(op);
        assertThat(certificates(op)).as("signed in the transaction of the success").isEqualTo(1);

        jdbc.update(
                "update hosts set backend_type = 'host-agent' where id = ?", UUID.fromString(host));
        JsonNode payload =
                api.get("/api/v1/operations/" + op + "/certificate").json().get("payload");
        assertThat(payload.get("simulated").asBoolean()).isTrue();
        assertThat(payload.at("/sanitization/tool/backend").asString()).isEqualTo("simulated-x86");
        assertThat(payload.at("/cacheInvalidation/performedBy").asString()).contains("simulated");
        jdbc.update(
                "update hosts set backend_type = 'simulated-x86' where id = ?",
                UUID.fromString(host));

        // an erase that succeeded before certificates were signed at success has none
        jdbc.update("delete from certificates where operation_id = ?", UUID.fromString(op));
        Response missing = api.get("/api/v1/operations/" + op + "/certificate");
        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("type").asString()).endsWith("certificate-not-issued");
        assertThat(missing.json().get("detail").asString()).contains("audit trail");
        assertThat(certificates(op)).as("a fetch never signs").isZero();
    }

    private int certificates(String op) {
        return jdbc.queryForObject(
                "select count(*) from certificates where operation_id = ?",
                Integer.class,
                UUID.fromString(op));
    }

    private JsonNode exported(String recordId) {
        return api.get("/api/v1/audit/export", Map.of("Accept", "application/x-ndjson"))
                .body()
                .lines()
                .map(Api.JSON::readTree)
                .filter(line -> line.at("/record/id").asString().equals(recordId))
                .findFirst()
                .orElseThrow();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bidirectionalControlsDoNotReachTheHtmlPage() {
        // U+202E would show "Acme" + reversed text: the page must show the characters as signed, in
        // order.
        String device =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "BIDI-" + UUID.randomUUID(),
                                                "kind",
                                                "cxl-memdev",
                                                "manufacturer",
                                                "Acme\u202Egnp.exe",
                                                "model",
                                                "AM-9",
                                                "capacityBytes",
                                                1 << 20)))
                        .id();
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        awaitEnd(op);
        String html =
                api.get("/api/v1/operations/" + op + "/certificate", Map.of("Accept", "text/html"))
                        .body();
        assertThat(html).contains("Acmegnp.exe").doesNotContain("\u202E");
    }

    @Test
    void onlySucceededErasesHaveCertificates() {
        String locked =
                api.post(
                                "/api/v1/hosts/" + host + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "L-" + UUID.randomUUID(),
                                                "kind",
                                                "cxl-memdev",
                                                "capacityBytes",
                                                1024,
                                                "securityState",
                                                "locked",
                                                "passphrase",
                                                "pw")))
                        .id();
        String unlock =
                api.post("/api/v1/devices/" + locked + "/unlock", "{\"passphrase\": \"pw\"}").id();
        assertThat(awaitEnd(unlock).get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/v1/operations/" + unlock + "/certificate").status())
                .isEqualTo(404);

        String failHost =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                "certfail-" + UUID.randomUUID(),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "faults",
                                                        Map.of("erase", "fail")))))
                        .id();
        String device =
                api.post(
                                "/api/v1/hosts/" + failHost + "/devices",
                                Api.json(
                                        Map.of(
                                                "serial",
                                                "F-" + UUID.randomUUID(),
                                                "kind",
                                                "nvdimm",
                                                "capacityBytes",
                                                1024)))
                        .id();
        String failed =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();
        assertThat(awaitEnd(failed).get("state").asString()).isEqualTo("failed");
        assertThat(api.get("/api/v1/operations/" + failed + "/certificate").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/operations/" + UUID.randomUUID() + "/certificate").status())
                .isEqualTo(404);
    }

    @Test
    void afterARotationOldCertificatesStillVerifyWithTheirPublishedKey() throws Exception {
        String first =
                api.post(
                                "/api/v1/devices/"
                                        + device("R1-" + UUID.randomUUID(), "nvdimm")
                                        + "/decommission",
                                "{\"method\": \"overwrite\"}")
                        .id();
        awaitEnd(first);
        JsonNode oldCert = api.get("/api/v1/operations/" + first + "/certificate").json();
        assertThat(oldCert.at("/payload/destination").asString()).isEqualTo("decommissioned");
        Response rotated = api.post("/api/v1/certificates/signing-key/rotation", "");
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.text("kid")).isNotEqualTo(oldCert.get("kid").asString());

        String second =
                api.post(
                                "/api/v1/devices/"
                                        + device("R2-" + UUID.randomUUID(), "nvdimm")
                                        + "/secure-erase",
                                "{\"method\": \"overwrite\"}")
                        .id();
        awaitEnd(second);
        assertThat(
                        api.get("/api/v1/operations/" + second + "/certificate")
                                .json()
                                .get("kid")
                                .asString())
                .isEqualTo(rotated.text("kid"));

        List<JsonNode> keys =
                api.get("/api/v1/certificates/signing-key")
                        .json()
                        .get("keys")
                        .valueStream()
                        .toList();
        JsonNode oldKey =
                keys.stream()
                        .filter(k -> k.get("kid").asString().equals(oldCert.get("kid").asString()))
                        .findFirst()
                        .orElseThrow();
        assertThat(oldKey.get("active").asBoolean()).isFalse();
        assertThat(oldKey.at("/jwk/kty").asString()).isEqualTo("OKP");
        assertThat(opensslVerifies(oldCert.get("jws").asString(), oldKey.get("pem").asString()))
                .isTrue();
        assertThat(readmeRecipe(first))
                .as("the README's openssl recipe picks the old key by its kid")
                .contains("Signature Verified Successfully");
    }

    /** Runs the README's openssl recipe, as written, for one operation. */
    private String readmeRecipe(String op) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String recipe =
                readme.substring(readme.indexOf("Verify a certificate offline with openssl"));
        recipe = recipe.substring(recipe.indexOf("```") + 3);
        recipe =
                recipe.substring(0, recipe.indexOf("```"))
                        .replace("OP=<operation id>", "OP=" + op)
                        .replace("localhost:8080", "127.0.0.1:" + port);
        ProcessBuilder bash =
                new ProcessBuilder("bash", "-c", "set -eo pipefail\n" + recipe)
                        .directory(dir.toFile())
                        .redirectErrorStream(true);
        bash.environment().put("TOKEN", Api.ADMIN_TOKEN);
        Process process = bash.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    private boolean opensslVerifies(String jws, String pem) throws Exception {
        String[] parts = jws.split("\\.");
        Path key = Files.writeString(dir.resolve("key-" + UUID.randomUUID() + ".pem"), pem);
        Path input =
                Files.write(
                        dir.resolve("input.bin"),
                        (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        Path sig = Files.write(dir.resolve("sig.bin"), Base64.getUrlDecoder().decode(parts[2]));
        Process openssl =
                new ProcessBuilder(
                                "openssl",
                                "pkeyutl",
                                "-verify",
                                "-pubin",
                                "-inkey",
                                key.toString(),
                                "-rawin",
                                "-in",
                                input.toString(),
                                "-sigfile",
                                sig.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = openssl.waitFor();
        return exit == 0 && out.contains("Signature Verified Successfully");
    }

    private String device(String serial, String kind) {
        return api.post(
                        "/api/v1/hosts/" + host + "/devices",
                        Api.json(
                                Map.of(
                                        "serial",
                                        serial,
                                        "kind",
                                        kind,
                                        "manufacturer",
                                        "Acme",
                                        "model",
                                        "AM-9",
                                        "capacityBytes",
                                        1 << 20)))
                .id();
    }

    private JsonNode awaitEnd(String op) {
        return api.awaitEnd(op, Duration.ofSeconds(30));
    }
}
