package io.lethe.engine;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How steps run.
 *
 * @param maxAttempts attempts of one step before it fails for good (transient failures only)
 * @param retryBackoff wait before the second attempt; doubles with each further one
 * @param stepTimeout longest a single backend call may take before its outcome counts as unknown
 * @param erasePollInterval how often a running erase is asked for its progress
 * @param eraseTimeout longest an erase may run before it counts as failed (its outcome unknown)
 * @param maxErasesPerHost erase operations admitted at once on one host; the rest wait their turn
 * @param maxErases erase operations admitted at once in the whole fleet
 * @param operationDeadline longest an operation may take from its request to its end; past it the
 *     deadline reaper fails it safely
 * @param reaperInterval how often the deadline reaper looks for operations past their deadline
 * @param coalescingWindow longest an operation waits for the other erases of its host before it has
 *     the host's caches invalidated without them
 * @param idempotencyKeyTtl how long an Idempotency-Key is remembered; a key older than this starts
 *     a new operation
 * @param maxWaitsPerToken long polls and event streams one token may hold at once on one replica
 * @param streamHeartbeat how often an idle event stream sends a comment, which is how a closed
 *     client is noticed
 * @param passphraseHandoff how long a step that needs a passphrase held by another replica asks
 *     again before it fails safely (the holder is gone)
 * @param shutdownGrace on shutdown, how long a running step may go on before it is handed back to
 *     another replica (keep {@code db-scheduler.shutdown-max-wait} above it)
 * @param hostsPerExecution a batch's operations of up to this many hosts move in one scheduled
 *     execution: each round of theirs is recorded in one transaction, so more hosts per execution
 *     means fewer commits per erase, and longer executions that a lone request may wait behind
 */
@ConfigurationProperties("lethe.workflow")
public record WorkflowProperties(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("PT1S") Duration retryBackoff,
        @DefaultValue("PT30S") Duration stepTimeout,
        @DefaultValue("PT0.5S") Duration erasePollInterval,
        @DefaultValue("PT4H") Duration eraseTimeout,
        @DefaultValue("4") int maxErasesPerHost,
        @DefaultValue("256") int maxErases,
        @DefaultValue("PT12H") Duration operationDeadline,
        @DefaultValue("PT30S") Duration reaperInterval,
        @DefaultValue("PT10S") Duration shutdownGrace,
        @DefaultValue("PT60S") Duration coalescingWindow,
        @DefaultValue("PT24H") Duration idempotencyKeyTtl,
        @DefaultValue("20") int maxWaitsPerToken,
        @DefaultValue("PT15S") Duration streamHeartbeat,
        @DefaultValue("PT30S") Duration passphraseHandoff,
        @DefaultValue("4") int hostsPerExecution) {

    Duration backoffAfter(int attempt) {
        return retryBackoff.multipliedBy(1L << Math.min(10, Math.max(0, attempt - 1)));
    }
}
