package io.lethe.audit;

import java.util.UUID;

/**
 * What to record. {@code detail} is a short human sentence and must never contain a secret.
 *
 * @param action what happened: {@code requested}, {@code step-started}, {@code step-succeeded}, ...
 * @param outcome how it ended, where that applies: {@code succeeded}, {@code failed}, {@code
 *     retry}, ...
 */
public record AuditEntry(
        String actor,
        String action,
        UUID operationId,
        UUID deviceId,
        UUID hostId,
        String step,
        String outcome,
        String detail) {}
