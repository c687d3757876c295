package io.lethe.certificate;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The shapes of the certificate and signing-key answers, for the OpenAPI document only: the service
 * writes these documents as ordered maps (what it signs must keep its field order), and these
 * records describe the same fields with their types, so generated clients get them typed.
 */
final class CertificateSchemas {

    private CertificateSchemas() {}

    @Schema(name = "Certificate", description = "A signed certificate of sanitization")
    record CertificateDoc(
            @Schema(description = "The signing key's id, as in the JWS header") String kid,
            @Schema(description = "The compact JWS (EdDSA, Ed25519) over the payload") String jws,
            CertificatePayload payload) {}

    @Schema(
            name = "CertificatePayload",
            description =
                    "What is certified: the fields of NIST SP 800-88 Rev. 1, section 4.8, "
                            + "with the cache invalidation and the audit record that close the operation")
    record CertificatePayload(
            @Schema(example = "lethe") String iss,
            @Schema(description = "The device's serial number") String sub,
            @Schema(description = "The operation id") String jti,
            @Schema(description = "Issued at, seconds since the epoch") long iat,
            String standard,
            Media media,
            MediaSource mediaSource,
            Sanitization sanitization,
            Verification verification,
            @Schema(allowableValues = {"reuse", "decommissioned"}) String destination,
            String requestedBy,
            Instant requestedAt,
            Instant completedAt,
            CacheInvalidation cacheInvalidation,
            AuditReference audit,
            UUID operationId,
            @Schema(
                            description =
                                    "True when the host's backend is simulated-x86: no memory was erased, and the "
                                            + "certificate is no evidence of sanitization")
                    boolean simulated) {}

    record Media(
            @Schema(nullable = true) String manufacturer,
            @Schema(nullable = true) String model,
            String serialNumber,
            @Schema(allowableValues = {"CXL memory device", "NVDIMM"}) String type,
            long capacityBytes,
            @Schema(nullable = true) String firmwareVersion) {}

    record MediaSource(UUID hostId, String hostName, Map<String, String> labels) {}

    record Sanitization(
            @Schema(allowableValues = "Purge") String category,
            @Schema(allowableValues = {"sanitize", "secure-erase", "passphrase-erase", "overwrite"})
                    String method,
            String description,
            Tool tool) {}

    record Tool(
            String name,
            String version,
            @Schema(allowableValues = {"simulated-x86", "host-agent"}) String backend) {}

    record Verification(
            String method, @Schema(allowableValues = "passed") String result, String detail) {}

    record CacheInvalidation(
            Instant startedAt, String backend, String performedBy, String evidence) {}

    @Schema(
            description =
                    "The audit record that closes the operation, signed before it had a place in the chain: its id "
                            + "and the SHA-256 (hex) of its canonical form, as the export's record field holds it")
    record AuditReference(UUID recordId, String contentHash) {}

    @Schema(
            name = "SigningKeys",
            description = "Every key that verifies certificates, the active one first")
    record SigningKeysDoc(List<SigningKeyDoc> keys) {}

    @Schema(name = "SigningKey")
    record SigningKeyDoc(
            String kid,
            boolean active,
            Instant createdAt,
            @Schema(
                            nullable = true,
                            description = "When it stopped signing; null for the active key")
                    Instant retiredAt,
            @Schema(description = "The public key, PEM (SubjectPublicKeyInfo)") String pem,
            Jwk jwk,
            @Schema(
                            nullable = true,
                            description =
                                    "For a key made by a rotation or an import: a compact JWS (typ lethe-signing-key+jws) "
                                            + "over {typ, kid, pem, at} signed by the key it replaced, so that a verifier "
                                            + "that pinned the old key accepts this one; null for the first key")
                    String endorsement) {}

    @Schema(name = "Jwk", description = "The public key as a JWK (RFC 8037)")
    record Jwk(
            @Schema(allowableValues = "OKP") String kty,
            @Schema(allowableValues = "Ed25519") String crv,
            String x,
            String kid,
            @Schema(allowableValues = "sig") String use,
            @Schema(allowableValues = "EdDSA") String alg) {}
}
