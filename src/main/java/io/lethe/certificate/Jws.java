package io.lethe.certificate;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compact JWS with EdDSA (RFC 8037), the one form of every statement Lethe signs: certificates
 * ({@code lethe-sanitization+jws}), audit checkpoints ({@code lethe-audit-checkpoint+jws}) and key
 * endorsements ({@code lethe-signing-key+jws}). Verification checks the header's {@code typ} too,
 * so that one kind of statement is never accepted as another.
 */
final class Jws {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Jws() {}

    static String sign(String kid, PrivateKey key, String typ, Object payload) {
        String header = b64(JSON.writeValueAsBytes(Map.of("alg", "EdDSA", "kid", kid, "typ", typ)));
        String input = header + "." + b64(JSON.writeValueAsBytes(payload));
        return input + "." + b64(Ed25519.sign(key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The payload, when the signature holds with the key the header's {@code kid} names among
     * {@code keys} and the header says {@code alg} EdDSA and the given {@code typ}.
     */
    static Optional<JsonNode> verified(String jws, String typ, Map<String, PublicKey> keys) {
        try {
            String[] parts = jws.split("\\.");
            if (parts.length != 3) {
                return Optional.empty();
            }
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            PublicKey key = keys.get(header.path("kid").asString(""));
            boolean holds =
                    key != null
                            && "EdDSA".equals(header.path("alg").asString(""))
                            && typ.equals(header.path("typ").asString(""))
                            && Ed25519.verify(
                                    key,
                                    (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                                    Base64.getUrlDecoder().decode(parts[2]));
            return holds ? Optional.of(payload(jws)) : Optional.empty();
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** What the JWS says, unverified; null when it is not a JWS. */
    static JsonNode payload(String jws) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
