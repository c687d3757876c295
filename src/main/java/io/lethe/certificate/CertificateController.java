package io.lethe.certificate;

import io.lethe.common.LetheProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Certificates",
        description = "Signed certificates of sanitization and the keys to verify them")
class CertificateController {

    static final String JOSE = "application/jose";
    static final String PEM = "application/x-pem-file";
    private final CertificateService certificates;
    private final SigningKeys keys;

    CertificateController(CertificateService certificates, SigningKeys keys) {
        this.certificates = certificates;
        this.keys = keys;
    }

    @GetMapping(
            path = "/api/v1/operations/{id}/certificate",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(
            responseCode = "200",
            description = "The certificate, in the form the Accept header asks for",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = CertificateSchemas.CertificateDoc.class)),
                @Content(
                        mediaType = JOSE,
                        schema = @Schema(type = "string", description = "The compact JWS")),
                @Content(
                        mediaType = MediaType.TEXT_HTML_VALUE,
                        schema = @Schema(type = "string", description = "A printable page"))
            })
    @Operation(
            operationId = "getCertificate",
            summary = "Certificate of sanitization of a succeeded secure erase or decommission",
            description =
                    "JSON with the compact JWS (EdDSA) and its payload; Accept: application/jose for the JWS alone, "
                            + "text/html for a printable rendering. Signed when the erase succeeds, in the transaction that "
                            + "records it; 404 until the operation succeeded; 409 for an erase that succeeded before "
                            + "certificates were signed at success (its evidence is the audit trail).")
    CertificateService.Certificate json(@PathVariable String id) {
        return certificates.certificate(id);
    }

    @GetMapping(path = "/api/v1/operations/{id}/certificate", produces = JOSE)
    @Operation(operationId = "getCertificate")
    String jws(@PathVariable String id) {
        return certificates.certificate(id).jws();
    }

    @GetMapping(path = "/api/v1/operations/{id}/certificate", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(operationId = "getCertificate")
    ResponseEntity<String> html(@PathVariable String id) {
        // No script, no remote resource, no framing: the page shows data that clients supplied.
        return ResponseEntity.ok()
                .header(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                                + "form-action 'none'; frame-ancestors 'none'")
                .body(CertificateHtml.render(certificates.certificate(id)));
    }

    @GetMapping(
            path = "/api/v1/certificates/signing-key",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(
            responseCode = "200",
            description = "The keys, or the active key's PEM alone",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = CertificateSchemas.SigningKeysDoc.class)),
                @Content(
                        mediaType = PEM,
                        schema = @Schema(type = "string", description = "The active key, PEM"))
            })
    @Operation(
            operationId = "getSigningKeys",
            summary = "Public keys that verify certificates, as PEM and JWK",
            description =
                    "The active key first; retired keys stay listed so old certificates remain verifiable. "
                            + "Accept: application/x-pem-file gives the active key's PEM alone.")
    Map<String, Object> signingKeys() {
        // A read never writes: the first key is made at start-up (SigningKeys.run).
        List<Map<String, Object>> published =
                keys.existing().stream().map(CertificateController::describe).toList();
        return Map.of("keys", published);
    }

    @GetMapping(path = "/api/v1/certificates/signing-key", produces = PEM)
    @Operation(operationId = "getSigningKeys")
    String activePem() {
        return keys.existing().stream()
                .filter(k -> k.retiredAt() == null)
                .findFirst()
                .orElseThrow(NoActiveSigningKey::new)
                .pem();
    }

    /** Code {@code no-active-signing-key}: every key was retired outside Lethe. */
    static final class NoActiveSigningKey extends LetheProblem {
        NoActiveSigningKey() {
            super(
                    HttpStatus.NOT_FOUND,
                    "No active signing key",
                    "Every signing key is retired; an admin makes a new one with POST"
                            + " /api/v1/certificates/signing-key/rotation");
        }
    }

    @PostMapping(
            path = "/api/v1/certificates/signing-key/rotation",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(
            responseCode = "201",
            description = "The new active key",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema =
                                    @Schema(
                                            implementation =
                                                    CertificateSchemas.SigningKeyDoc.class)))
    @Operation(
            operationId = "rotateSigningKey",
            summary = "Rotate the signing key",
            description = "A new key signs from now on; the old ones stay published.")
    ResponseEntity<Map<String, Object>> rotate() {
        return ResponseEntity.status(HttpStatus.CREATED).body(describe(keys.rotate()));
    }

    private static Map<String, Object> describe(SigningKeys.PublishedKey key) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kid", key.kid());
        map.put("active", key.retiredAt() == null);
        map.put("createdAt", key.createdAt());
        map.put("retiredAt", key.retiredAt());
        map.put("pem", key.pem());
        map.put("jwk", Ed25519.jwk(Ed25519.publicKey(key.pem()), key.kid()));
        map.put("endorsement", key.endorsement());
        return map;
    }
}
