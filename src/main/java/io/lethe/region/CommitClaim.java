package io.lethe.region;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;
import java.util.UUID;

/**
 * A commit a committer decided and claimed under the region's row lock, whose hardware call may be
 * under way: it ends recorded done or abandoned by its committer, taken over by the next commit of
 * the region, or superseded by a detach (whose higher fencing token the host holds it to). A value:
 * every change is a new one, since Hibernate does not see an embedded value changed in place.
 */
@Embeddable
class CommitClaim {

    @Column(name = "commit_claim")
    private UUID id;

    @Column(name = "commit_claimed_at")
    private Instant claimedAt;

    /** No claim pending. */
    CommitClaim() {}

    private CommitClaim(UUID id, Instant claimedAt) {
        this.id = id;
        this.claimedAt = claimedAt;
    }

    static CommitClaim of(UUID claim, Instant now) {
        return new CommitClaim(claim, now);
    }

    boolean pending() {
        return id != null;
    }

    /** Whether the pending claim is {@code claim}'s (not taken over, superseded or ended). */
    boolean is(UUID claim) {
        return claim.equals(id);
    }
}
