package io.lethe.certificate;

import io.lethe.common.Ids;
import io.lethe.common.LetheProblem;
import io.lethe.engine.OperationEnded;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationView;
import io.lethe.operation.OperationService;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Certificates of sanitization (NIST SP 800-88 r1, section 4.8) for succeeded secure erases and
 * decommissions: a JWS in compact serialization, {@code alg} EdDSA, signed once, in the transaction
 * that records the success, and served as stored from then on.
 */
@Service
class CertificateService {

    /** The {@code typ} of a certificate's JWS header. */
    static final String TYP = "lethe-sanitization+jws";

    static final JsonMapper JSON = Jws.JSON;
    private final OperationService operations;
    private final CertificatePayload payload;
    private final SigningKeys keys;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    CertificateService(
            OperationService operations,
            CertificatePayload payload,
            SigningKeys keys,
            JdbcTemplate jdbc,
            Clock clock) {
        this.operations = operations;
        this.payload = payload;
        this.keys = keys;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A signed certificate: the compact JWS, its key id and the payload it signs. */
    @Schema(hidden = true)
    record Certificate(String kid, String jws, JsonNode payload) {}

    /**
     * The certificate of a succeeded erase, as signed when it succeeded. A read: it never signs.
     *
     * @throws CertificateNotAvailable when the operation is not a succeeded erase
     * @throws CertificateNotIssued when it succeeded before certificates were signed at success
     */
    @Transactional(readOnly = true)
    Certificate certificate(String operationIdText) {
        UUID id =
                Ids.parse(operationIdText)
                        .orElseThrow(
                                () ->
                                        new CertificateNotAvailable(
                                                operationIdText, "no such operation"));
        OperationView op;
        try {
            op = operations.get(id);
        } catch (LetheProblem.NotFound e) {
            throw new CertificateNotAvailable(operationIdText, "no such operation");
        }
        if (!op.type().erases()) {
            throw new CertificateNotAvailable(
                    operationIdText,
                    "an operation of type " + op.type().wire() + " erases nothing");
        }
        if (op.state() != OperationState.SUCCEEDED) {
            throw new CertificateNotAvailable(
                    operationIdText,
                    "the operation is "
                            + op.state().wire()
                            + "; a certificate exists only for a succeeded erase");
        }
        List<Map<String, Object>> stored =
                jdbc.queryForList("select kid, jws from certificates where operation_id = ?", id);
        if (stored.isEmpty()) {
            throw new CertificateNotIssued(operationIdText);
        }
        return parse((String) stored.get(0).get("kid"), (String) stored.get(0).get("jws"));
    }

    /**
     * Signs the certificate of an erase that succeeded, in the transaction that records the
     * success, from the operation's own record: what a later edit of the host's or the device's row
     * says cannot reach it, and no fetch ever signs.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(OperationEnded ended) {
        OperationView op = ended.operation();
        if (op.state() != OperationState.SUCCEEDED || !op.type().erases()) {
            return;
        }
        SigningKeys.ActiveKey key = keys.active();
        String jws = Jws.sign(key.kid(), key.privateKey(), TYP, payload.of(ended));
        jdbc.update(
                "insert into certificates (operation_id, kid, jws, issued_at) values (?, ?, ?, ?)",
                op.id(),
                key.kid(),
                jws,
                Timestamp.from(clock.instant()));
    }

    private static Certificate parse(String kid, String jws) {
        String payload = jws.substring(jws.indexOf('.') + 1, jws.lastIndexOf('.'));
        return new Certificate(kid, jws, JSON.readTree(Base64.getUrlDecoder().decode(payload)));
    }

    /**
     * Code {@code certificate-not-issued}: the erase succeeded before this version, which signs at
     * success; signing now would sign rows that could have been edited since.
     */
    static final class CertificateNotIssued extends LetheProblem {
        CertificateNotIssued(String operationId) {
            super(
                    HttpStatus.CONFLICT,
                    "Certificate not issued",
                    "Operation '"
                            + operationId
                            + "' succeeded before Lethe signed certificates when an erase succeeds; none"
                            + " is signed later, from rows that could have been edited since. Its evidence"
                            + " is the audit trail: GET /api/v1/audit?operationId="
                            + operationId);
        }
    }

    /** The operation has no certificate: it is not a succeeded erase. */
    static final class CertificateNotAvailable extends LetheProblem {
        CertificateNotAvailable(String operationId, String why) {
            super(
                    HttpStatus.NOT_FOUND,
                    "Certificate not available",
                    "No certificate for operation '" + operationId + "': " + why);
        }
    }
}
