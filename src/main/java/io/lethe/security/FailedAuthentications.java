package io.lethe.security;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counts failed authentications in {@code lethe_auth_failures_total{reason}}, and wrong tokens per
 * client address in one-minute windows, so a client sending wrong tokens is answered 429 after a
 * few (a valid token is never refused: the filter checks it first). Kept in memory: each replica
 * limits on its own.
 */
@Component
class FailedAuthentications {

    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final SecurityProperties properties;
    private final MeterRegistry registry;
    private final Clock clock;

    FailedAuthentications(SecurityProperties properties, MeterRegistry registry, Clock clock) {
        this.properties = properties;
        this.registry = registry;
        this.clock = clock;
    }

    /** Counts a request without a token: in the metric only, since it guesses nothing. */
    void missing() {
        registry.counter("lethe.auth.failures", "reason", "missing-token").increment();
    }

    /** Counts a wrong token, toward the address's limit too. */
    void record(String address, String reason) {
        registry.counter("lethe.auth.failures", "reason", reason).increment();
        long minute = clock.instant().toEpochMilli() / 60_000;
        windows.compute(
                address,
                (a, w) ->
                        w == null || w[0] != minute
                                ? new long[] {minute, 1}
                                : new long[] {minute, w[1] + 1});
        if (windows.size() > 10_000) {
            windows.entrySet().removeIf(e -> e.getValue()[0] != minute);
        }
    }

    /** Seconds until the current one-minute window ends and wrong tokens are counted afresh. */
    long secondsUntilUnblocked() {
        long millis = clock.instant().toEpochMilli();
        return Math.max(1, (60_000 - millis % 60_000 + 999) / 1000);
    }

    boolean blocked(String address) {
        long[] window = windows.get(address);
        return window != null
                && window[0] == clock.instant().toEpochMilli() / 60_000
                && window[1] >= properties.authFailuresPerMinute();
    }
}
