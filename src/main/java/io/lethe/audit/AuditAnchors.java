package io.lethe.audit;

import java.util.List;

/**
 * A source of {@link AuditAnchor}s, implemented by the modules that sign statements about the
 * chain.
 */
public interface AuditAnchors {

    Anchoring anchoring();

    /**
     * @param anchors every statement to hold the chain against
     * @param trust {@code pinned} when signatures were checked against keys pinned outside the
     *     database, {@code unpinned} when against Lethe's own keys
     * @param sinks the places outside the database whose checkpoints are among the anchors
     */
    record Anchoring(List<AuditAnchor> anchors, String trust, List<OutsideCopy> sinks) {}
}
