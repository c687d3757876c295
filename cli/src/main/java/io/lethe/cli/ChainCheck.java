package io.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit chain checked on the caller's side, trusting nothing the server says about itself: the
 * keys are the caller's pinned keys and those a chain of endorsements leads to from them; the
 * checkpoints are the caller's saved ones, each verified with those keys; the export must hash
 * record by record and pass through every saved checkpoint. The same rules as {@code
 * docs/verify-audit-export.py}.
 */
final class ChainCheck {

    static final String CHECKPOINT_TYPE = "lethe-audit-checkpoint+jws";
    static final String ENDORSEMENT_TYPE = "lethe-signing-key+jws";
    private static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);

    private final Map<String, PublicKey> trusted = new HashMap<>();

    /**
     * @param pins PEM public keys the caller pinned
     * @param published the server's {@code GET /api/v1/certificates/signing-key} JSON: only the
     *     endorsements in it count, each checked against a key already trusted
     */
    ChainCheck(String pins, JsonNode published) {
        Matcher m = PEM.matcher(pins);
        while (m.find()) {
            PublicKey key = publicKey(m.group());
            trusted.put(kid(key), key);
        }
        if (trusted.isEmpty()) {
            throw new Failures.Invalid(
                    "the trusted keys file holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JsonNode key : published.path("keys")) {
                String kid = key.path("kid").asText();
                if (trusted.containsKey(kid) || !key.hasNonNull("endorsement")) {
                    continue;
                }
                Optional<JsonNode> endorsed =
                        verified(key.path("endorsement").asText(), ENDORSEMENT_TYPE);
                if (endorsed.isPresent()
                        && kid.equals(endorsed.get().path("kid").asText())
                        && squeeze(key.path("pem").asText())
                                .equals(squeeze(endorsed.get().path("pem").asText()))) {
                    trusted.put(kid, publicKey(key.path("pem").asText()));
                    grew = true;
                }
            }
        }
    }

    int trustedKeys() {
        return trusted.size();
    }

    /** The signed {seq, hash} of each checkpoint; a checkpoint that does not verify is a break. */
    TreeMap<Long, String> checkpoints(List<String> jwsList, String whose) {
        TreeMap<Long, String> bySeq = new TreeMap<>();
        for (String jws : jwsList) {
            JsonNode payload =
                    verified(jws, CHECKPOINT_TYPE)
                            .orElseThrow(
                                    () ->
                                            new Broken(
                                                    whose
                                                            + " checkpoint "
                                                            + claimedSeq(jws)
                                                            + " is not signed by a trusted key"));
            bySeq.put(payload.path("seq").asLong(), payload.path("hash").asText());
        }
        return bySeq;
    }

    /** Walks the export (JSON Lines); answers the number of records. */
    long walk(String export, TreeMap<Long, String> checkpoints) {
        String previous = GENESIS;
        long expected = 1;
        for (String line : export.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = read(line);
            long seq = entry.path("seq").asLong();
            if (seq != expected) {
                throw new Broken("broken at " + expected + ": missing (next is " + seq + ")");
            }
            String hash = entry.path("hash").asText();
            String computed = sha256(entry.path("prevHash").asText() + "\n" + entry.path("record"));
            if (!computed.equals(hash)) {
                throw new Broken("broken at " + seq + ": changed");
            }
            if (!entry.path("prevHash").asText().equals(previous)) {
                throw new Broken("broken at " + seq + ": reordered");
            }
            String signed = checkpoints.get(seq);
            if (signed != null && !signed.equals(hash)) {
                throw new Broken(
                        "broken at "
                                + seq
                                + ": rewritten (a saved checkpoint signed another hash: the chain was"
                                + " rewritten at or before it)");
            }
            previous = hash;
            expected++;
        }
        long records = expected - 1;
        if (!checkpoints.isEmpty() && checkpoints.lastKey() > records) {
            throw new Broken(
                    "broken at "
                            + (records + 1)
                            + ": missing (a saved checkpoint names record "
                            + checkpoints.lastKey()
                            + ", the chain ends at "
                            + records
                            + ")");
        }
        return records;
    }

    private Optional<JsonNode> verified(String jws, String type) {
        try {
            String[] parts = jws.split("\\.");
            JsonNode header = read(new String(b64(parts[0]), StandardCharsets.UTF_8));
            PublicKey key = trusted.get(header.path("kid").asText());
            if (key == null
                    || !"EdDSA".equals(header.path("alg").asText())
                    || !type.equals(header.path("typ").asText())) {
                return Optional.empty();
            }
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(b64(parts[2]))
                    ? Optional.of(read(new String(b64(parts[1]), StandardCharsets.UTF_8)))
                    : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static String claimedSeq(String jws) {
        try {
            return read(new String(b64(jws.split("\\.")[1]), StandardCharsets.UTF_8))
                    .path("seq")
                    .asText("?");
        } catch (RuntimeException malformed) {
            return "?";
        }
    }

    /** RFC 7638-like: the key id Lethe gives a key (SHA-256 of its DER, base64url, 16 chars). */
    static String kid(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey publicKey(String pem) {
        try {
            byte[] der =
                    Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Failures.Invalid("a PUBLIC KEY that is not an Ed25519 key");
        }
    }

    private static String squeeze(String pem) {
        return pem.replaceAll("\\s", "");
    }

    private static byte[] b64(String part) {
        return Base64.getUrlDecoder().decode(part);
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new Failures.Invalid(
                    "not JSON: " + json.substring(0, Math.min(60, json.length())));
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chain does not hold: exit 1 with the reason. */
    static final class Broken extends RuntimeException {
        Broken(String why) {
            super(why, null, false, false);
        }
    }
}
