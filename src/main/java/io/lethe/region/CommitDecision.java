package io.lethe.region;

/**
 * What a region decides, under its row lock, about a request to commit it ({@link
 * Region#decideCommit}): claimed (the committer calls the hardware next), not now (and whether
 * another operation's end commits it then), or a failure of the requesting operations.
 */
sealed interface CommitDecision {

    /** The commit is claimed: the committer takes a fencing token and calls the hardware. */
    record Claimed() implements CommitDecision {}

    /** Not committed now, and why; {@code anotherCommitsIt} when another operation's end does. */
    record NotNow(String reason, boolean anotherCommitsIt) implements CommitDecision {}

    /**
     * The requesting operations' own change is not covered by an invalidation: their failure, not a
     * wait (their own invalidation should have covered it).
     */
    record Fails(RegionNotReady why) implements CommitDecision {}
}
