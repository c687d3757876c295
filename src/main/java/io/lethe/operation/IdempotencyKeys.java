package io.lethe.operation;

import io.lethe.engine.WorkflowProperties;
import io.lethe.security.SecretCipher;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys of start requests, in the caller's transaction. A key belongs to the caller's
 * token (its scope) and is bound to a MAC of the request (the device and {@link
 * StartOperation#fingerprint}, no secret): a key learnt from another pipeline says nothing, and the
 * same key with another request is refused. Keys expire after {@code
 * lethe.workflow.idempotency-key-ttl}.
 */
@Component
class IdempotencyKeys {

    private final SecretCipher cipher;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final WorkflowProperties properties;

    IdempotencyKeys(
            SecretCipher cipher, JdbcTemplate jdbc, Clock clock, WorkflowProperties properties) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** The request's MAC, what its key is bound to. */
    String mac(StartOperation command, UUID deviceId) {
        return cipher.mac(command.fingerprint() + "|" + deviceId);
    }

    /**
     * The operation an earlier request with this key created, if any.
     *
     * @throws OperationProblems.IdempotencyKeyReused when that request was another
     */
    Optional<UUID> earlier(String scope, String key, String mac) {
        jdbc.update(
                "delete from idempotency_keys where created_at < ?",
                Timestamp.from(clock.instant().minus(properties.idempotencyKeyTtl())));
        var earlier =
                jdbc.queryForList(
                        "select request_mac, operation_id from idempotency_keys where scope = ? and idem_key = ?",
                        scope,
                        key);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!mac.equals(earlier.get(0).get("request_mac"))) {
            throw new OperationProblems.IdempotencyKeyReused();
        }
        return Optional.of((UUID) earlier.get(0).get("operation_id"));
    }

    void remember(String scope, String key, String mac, UUID operationId) {
        jdbc.update(
                "insert into idempotency_keys (scope, idem_key, request_mac, operation_id, created_at) values (?, ?, ?, ?, ?)",
                scope,
                key,
                mac,
                operationId,
                Timestamp.from(clock.instant()));
    }
}
