package io.lethe.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The chain's hash: {@code hash = hex(SHA-256(prevHash + "\n" + canonical(record)))}, where the
 * canonical form is a JSON object with the keys in alphabetical order, no white space, every key
 * present ({@code null} when empty), and {@code at} as UTC with exactly six fraction digits. The
 * sequence number is not hashed: it only orders, and a record moved to another place breaks the
 * link to its predecessor. docs/audit.md describes how to check an export offline.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditChain() {}

    public static String hash(String prevHash, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(
                            sha.digest(
                                    (prevHash + "\n" + canonical)
                                            .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hash of one record's canonical form alone, {@code hex(SHA-256(canonical))}: what names a
     * record before it has a place in the chain (a certificate signed in the transaction that
     * appends the record).
     */
    public static String contentHash(String canonical) {
        return sha256(canonical);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonical(
            UUID id,
            Instant at,
            String actor,
            String action,
            UUID operationId,
            UUID deviceId,
            UUID hostId,
            String step,
            String outcome,
            String detail) {
        StringBuilder json = new StringBuilder("{");
        field(json, "action", action).append(',');
        field(json, "actor", actor).append(',');
        field(json, "at", AT.format(at)).append(',');
        field(json, "detail", detail).append(',');
        field(json, "deviceId", deviceId).append(',');
        field(json, "hostId", hostId).append(',');
        field(json, "id", id).append(',');
        field(json, "operationId", operationId).append(',');
        field(json, "outcome", outcome).append(',');
        field(json, "step", step);
        return json.append('}').toString();
    }

    private static StringBuilder field(StringBuilder json, String name, Object value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
