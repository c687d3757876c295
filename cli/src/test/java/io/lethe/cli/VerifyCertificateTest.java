package io.lethe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-certificate against JWSs signed here with the JDK's Ed25519, the way the service signs.
 */
class VerifyCertificateTest {

    @TempDir Path dir;

    record Run(int exit, String out, String err) {}

    private static Run lethe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                Lethe.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sign(KeyPair keys, String payload) throws Exception {
        return sign(keys, payload, "lethe-sanitization+jws");
    }

    private static String sign(KeyPair keys, String payload, String typ) throws Exception {
        String input =
                b64(
                                ("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"" + typ + "\"}")
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(keys.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signer.sign());
    }

    private Path pem(KeyPair keys, String name) throws Exception {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded());
        return Files.writeString(
                dir.resolve(name),
                "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
    }

    @Test
    void aSignatureByTheKeyVerifiesAndPrintsThePayload() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path jws =
                Files.writeString(
                        dir.resolve("cert.jws"),
                        sign(keys, "{\"jti\":\"op-1\",\"sub\":\"CXL-1\"}") + "\n");
        Run run =
                lethe(
                        "verify-certificate",
                        jws.toString(),
                        "--key",
                        pem(keys, "key.pem").toString(),
                        "--output",
                        "json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Output.MAPPER.readTree(run.out()).path("jti").asText()).isEqualTo("op-1");
    }

    @Test
    void anAuditCheckpointSignedWithTheSameKeyIsNoCertificate() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path checkpoint =
                Files.writeString(
                        dir.resolve("checkpoint.jws"),
                        sign(keys, "{\"seq\":7,\"hash\":\"ab\"}", "lethe-audit-checkpoint+jws"));
        Run run =
                lethe(
                        "verify-certificate",
                        checkpoint.toString(),
                        "--key",
                        pem(keys, "key.pem").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no certificate of sanitization");
    }

    @Test
    void aSimulatedEraseVerifiesButExitsFiveUnlessAllowed() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path jws =
                Files.writeString(
                        dir.resolve("simulated.jws"),
                        sign(keys, "{\"jti\":\"op-2\",\"simulated\":true}"));
        String key = pem(keys, "key.pem").toString();
        Run refused = lethe("verify-certificate", jws.toString(), "--key", key);
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("SIMULATED");
        Run allowed =
                lethe("verify-certificate", jws.toString(), "--key", key, "--allow-simulated");
        assertThat(allowed.exit()).as(allowed.err()).isZero();
    }

    @Test
    void aCertificateJsonIsReadForItsJws() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path json =
                Files.writeString(
                        dir.resolve("cert.json"),
                        "{\"kid\":\"k1\",\"jws\":\"" + sign(keys, "{\"jti\":\"op-2\"}") + "\"}");
        Run run =
                lethe(
                        "verify-certificate",
                        json.toString(),
                        "--key",
                        pem(keys, "key.pem").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("op-2");
    }

    @Test
    void aChangedPayloadOrAnotherKeyDoesNotVerify() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String[] parts = sign(keys, "{\"jti\":\"op-1\"}").split("\\.");
        String forged =
                parts[0]
                        + "."
                        + b64("{\"jti\":\"op-9\"}".getBytes(StandardCharsets.UTF_8))
                        + "."
                        + parts[2];
        Path jws = Files.writeString(dir.resolve("forged.jws"), forged);
        Run tampered =
                lethe(
                        "verify-certificate",
                        jws.toString(),
                        "--key",
                        pem(keys, "key.pem").toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).contains("does not verify");
        assertThat(tampered.out()).isEmpty();

        Path genuine =
                Files.writeString(dir.resolve("genuine.jws"), sign(keys, "{\"jti\":\"op-1\"}"));
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(
                        lethe(
                                        "verify-certificate",
                                        genuine.toString(),
                                        "--key",
                                        pem(other, "other.pem").toString())
                                .exit())
                .isEqualTo(1);
    }

    @Test
    void unreadableInputIsRefusedWithExitTwo() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = pem(keys, "key.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.jws"), "not a jws");
        Run notJws =
                lethe(
                        "verify-certificate",
                        garbage.toString(),
                        "--key",
                        key.toString(),
                        "-o",
                        "json");
        assertThat(notJws.exit()).isEqualTo(2);
        assertThat(Output.MAPPER.readTree(notJws.out()).path("code").asText())
                .isEqualTo("invalid-input");
        assertThat(
                        lethe(
                                        "verify-certificate",
                                        dir.resolve("missing.jws").toString(),
                                        "--key",
                                        key.toString())
                                .exit())
                .isEqualTo(2);
        assertThat(lethe("verify-certificate", garbage.toString()).exit())
                .as("--key is required")
                .isEqualTo(2);
    }
}
