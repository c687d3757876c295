package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks a certificate offline, with no server: the compact JWS (or a certificate JSON holding one)
 * must carry {@code "alg":"EdDSA"}, the certificate's {@code "typ":"lethe-sanitization+jws"} (an
 * audit checkpoint, signed with the same key, is no certificate), and an Ed25519 signature that one
 * of the PEM public keys in {@code --key} verifies. Prints the signed payload on success (exit 0);
 * a signature that does not verify, or another kind of JWS, is exit 1, unreadable input exit 2, and
 * a verified certificate of a simulated erase exit 5 unless {@code --allow-simulated}.
 */
@Command(
        name = "verify-certificate",
        description = "Verify a certificate's signature offline against a public key (PEM)")
final class VerifyCertificate implements Callable<Integer> {

    /** The JOSE {@code typ} of a certificate of sanitization, as the service signs it. */
    static final String CERTIFICATE_TYPE = "lethe-sanitization+jws";

    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);

    @Parameters(
            paramLabel = "CERTIFICATE",
            description = "The compact JWS (lethe certificate OP --jws), or the certificate JSON")
    Path certificate;

    @Option(
            names = "--key",
            required = true,
            description =
                    "PEM file with the signing key (lethe certificates keys --pem), "
                            + "or several PEM keys: any one may verify")
    Path key;

    @Option(
            names = "--allow-simulated",
            description =
                    "Exit 0 also for a certificate of a simulated erase (no memory was erased; exit 5 without)")
    boolean allowSimulated;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "json or table (default: ${DEFAULT-VALUE})")
    Base.Format output;

    @Override
    public Integer call() {
        String jws = jws(read(certificate));
        String[] parts = jws.split("\\.");
        if (parts.length != 3) {
            throw new Failures.Invalid(
                    certificate + " is not a compact JWS (three dot-separated parts)");
        }
        JsonNode header = json(decode(parts[0]), "header");
        JsonNode payload = json(decode(parts[1]), "payload");
        if (!"EdDSA".equals(header.path("alg").asText())) {
            Base.Streams.err.println(
                    "lethe: the certificate is not signed with EdDSA (alg "
                            + header.path("alg")
                            + ")");
            return Exit.FAILED;
        }
        if (!CERTIFICATE_TYPE.equals(header.path("typ").asText())) {
            Base.Streams.err.println(
                    "lethe: this is no certificate of sanitization (typ "
                            + header.path("typ")
                            + ", not "
                            + CERTIFICATE_TYPE
                            + "); an audit checkpoint is verified with lethe audit verify");
            return Exit.FAILED;
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2]);
        for (PublicKey publicKey : keys(read(key))) {
            if (verifies(publicKey, signed, signature)) {
                new Output(output, Base.Streams.out).one(payload);
                Base.Streams.err.println(
                        "lethe: signature verified (kid " + header.path("kid").asText("?") + ")");
                if (payload.path("simulated").asBoolean(false) && !allowSimulated) {
                    Base.Streams.err.println(
                            "lethe: the certificate is of a SIMULATED erase: no memory was erased"
                                    + " (exit 5; --allow-simulated accepts it)");
                    return Exit.SIMULATED;
                }
                return Exit.SUCCEEDED;
            }
        }
        Base.Streams.err.println("lethe: the signature does not verify with " + key);
        return Exit.FAILED;
    }

    private static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String jws(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            JsonNode node = json(trimmed.getBytes(StandardCharsets.UTF_8), "certificate");
            if (!node.hasNonNull("jws")) {
                throw new Failures.Invalid("the certificate JSON has no jws field");
            }
            return node.get("jws").asText();
        }
        return trimmed;
    }

    private static List<PublicKey> keys(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                keys.add(
                        KeyFactory.getInstance("Ed25519")
                                .generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new Failures.Invalid(
                        "the key file holds a PUBLIC KEY that is not an Ed25519 key");
            }
        }
        if (keys.isEmpty()) {
            throw new Failures.Invalid(
                    "the key file holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        return keys;
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new Failures.Invalid("the JWS is not base64url");
        }
    }

    private static JsonNode json(byte[] bytes, String what) {
        try {
            return Output.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new Failures.Invalid("the JWS " + what + " is not JSON");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new Failures.Invalid(
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
