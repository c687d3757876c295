package io.lethe.certificate;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A new signing key's public half signed by the key it replaces: a compact JWS of {@code typ}
 * {@value #TYP} over {@code {typ, kid, pem, at}}. A verifier that pinned the old key accepts the
 * new one through it, and a chain of them through every rotation.
 */
final class KeyEndorsement {

    static final String TYP = "lethe-signing-key+jws";

    private KeyEndorsement() {}

    static String of(SigningKeys.ActiveKey by, String kid, String pem, Instant at) {
        return Jws.sign(
                by.kid(),
                by.privateKey(),
                TYP,
                Map.of("typ", "lethe-signing-key", "kid", kid, "pem", pem, "at", at.toString()));
    }

    /** Whether the key's endorsement is signed by one of {@code by} and names this very key. */
    static boolean endorses(SigningKeys.PublishedKey key, Map<String, PublicKey> by) {
        if (key.endorsement() == null) {
            return false;
        }
        return Jws.verified(key.endorsement(), TYP, by)
                .filter(p -> key.kid().equals(p.path("kid").asString("")))
                .filter(p -> samePem(key.pem(), p.path("pem")))
                .isPresent();
    }

    private static boolean samePem(String pem, JsonNode endorsed) {
        return pem.replaceAll("\\s", "").equals(endorsed.asString("").replaceAll("\\s", ""));
    }
}
