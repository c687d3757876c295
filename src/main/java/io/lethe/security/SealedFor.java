package io.lethe.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Whom a sealed value belongs to. {@link SecretCipher} binds it into the seal as associated data,
 * so the value opens only for the same purpose, owner and bindings: copied into another row, or
 * left in place while a bound field (an agent's URL, a key's public half) changes, it opens
 * nowhere. Only logical values go in, never table or column names, so a schema change does not
 * orphan what is sealed.
 *
 * @param purpose what the secret is for, e.g. {@code agent-token}
 * @param owner the id of the entity it belongs to
 * @param bindings further values it is only good together with, in a fixed order
 */
public record SealedFor(String purpose, String owner, List<String> bindings) {

    public SealedFor {
        Objects.requireNonNull(purpose);
        Objects.requireNonNull(owner);
        bindings = List.copyOf(bindings);
    }

    /** An agent's bearer token: its host, and the URL it may be sent to. */
    public static SealedFor agentToken(Object hostId, String agentUrl) {
        return new SealedFor("agent-token", String.valueOf(hostId), List.of(agentUrl));
    }

    /** A device passphrase kept for one operation. */
    public static SealedFor passphrase(Object operationId) {
        return new SealedFor("passphrase", String.valueOf(operationId), List.of());
    }

    /** A certificate signing key's private half: its key id and its public half. */
    public static SealedFor signingKey(String kid, String publicKeyPem) {
        return new SealedFor("signing-key", kid, List.of(publicKeyPem));
    }

    /** Length-prefixed fields after a version tag: no two different owners encode alike. */
    byte[] associatedData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "lethe-sealed-v3");
        field(out, purpose);
        field(out, owner);
        for (String binding : bindings) {
            field(out, binding);
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
