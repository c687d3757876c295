package io.lethe.security;

import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The hashes of the active tokens, read at most every {@link #REFRESH_NANOS} whatever the request
 * rate. While an address is at its failure limit, a bearer secret whose hash is not among them is
 * answered 429 without a database lookup, so a guesser at the limit costs the database nothing; a
 * valid token is still looked up and served (behind an ingress every client shares one address). A
 * token created or reactivated within the last refresh interval waits that long there.
 */
@Component
class ActiveTokenHashes {

    static final long REFRESH_NANOS = 5_000_000_000L;

    private final ApiTokenRepository tokens;
    private volatile Set<String> hashes = Set.of();
    private volatile long readAt;
    private volatile boolean read;

    ActiveTokenHashes(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    /** Whether the secret was an active token at the last read (read again when stale). */
    boolean mayBeActive(String secret) {
        long now = System.nanoTime();
        if (!read || now - readAt > REFRESH_NANOS) {
            synchronized (this) {
                if (!read || now - readAt > REFRESH_NANOS) {
                    hashes = Set.copyOf(tokens.activeSecretHashes());
                    readAt = now;
                    read = true;
                }
            }
        }
        return hashes.contains(TokenService.hash(secret));
    }
}
