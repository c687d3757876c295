package io.lethe.audit;

import java.util.List;

/**
 * A source of {@link AuditAnchor}s, implemented by the modules that sign statements about the
 * chain.
 */
public interface AuditAnchors {

    List<AuditAnchor> anchors();
}
