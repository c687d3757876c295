package io.lethe.security;

import io.lethe.common.LetheProblem;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Limits unlock requests per device and per token in one-hour windows, on top of the device's own
 * attempt limit: guessing passphrases across many requests is slowed before the device locks.
 */
@Component
public class UnlockThrottle {

    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final SecurityProperties properties;
    private final Clock clock;

    UnlockThrottle(SecurityProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** @throws TooManyUnlockAttempts when the device or the caller has used up this hour's attempts */
    public void check(UUID deviceId, String actor) {
        long hour = clock.instant().toEpochMilli() / 3_600_000;
        if (count("device:" + deviceId, hour) > properties.unlockAttemptsPerHour()) {
            throw new TooManyUnlockAttempts("device " + deviceId);
        }
        if (count("actor:" + actor, hour) > properties.unlockAttemptsPerHour() * 3L) {
            throw new TooManyUnlockAttempts("this token");
        }
    }

    private long count(String key, long hour) {
        return windows.compute(key, (k, w) -> w == null || w[0] != hour ? new long[] {hour, 1} : new long[] {hour, w[1] + 1})[1];
    }

    /** Too many unlock requests in this hour. */
    public static final class TooManyUnlockAttempts extends LetheProblem {
        TooManyUnlockAttempts(String who) {
            super(HttpStatus.TOO_MANY_REQUESTS, "Too many unlock attempts",
                    "Too many unlock requests for " + who + " in this hour; try again later");
        }
    }
}
