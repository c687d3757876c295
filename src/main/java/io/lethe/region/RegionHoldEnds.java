package io.lethe.region;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lets go of a region when its holder's end is published, in the holder's transaction. Ordered
 * after the device module's release ({@code DeviceService}), since whether the region may commit
 * again reads its members' statuses as the end leaves them.
 */
@Component
class RegionHoldEnds {

    private static final Logger log = LoggerFactory.getLogger(RegionHoldEnds.class);

    private final RegionCommits commits;
    private final RegionLocks locks;

    RegionHoldEnds(RegionCommits commits, RegionLocks locks) {
        this.commits = commits;
        this.locks = locks;
    }

    @EventListener
    @Order(2)
    @Transactional(propagation = Propagation.MANDATORY)
    void on(RegionHoldEnded ended) {
        if (ended.regionId() == null) {
            return;
        }
        RegionHoldEnded.Recommit recommit = ended.recommit();
        Optional<RegionView> region =
                recommit == null
                        ? Optional.empty()
                        : locks.inOrder(ended.regionId()).map(Region::view);
        if (region.isEmpty()) {
            commits.releaseDetached(ended.regionId(), ended.holder());
            return;
        }
        try {
            // The one commit path, with every check a reattach has: nothing commits over another
            // member's change.
            var outcome =
                    commits.releaseAndCommitAll(
                            ended.regionId(),
                            List.of(ended.holder()),
                            Set.of(),
                            fence -> recommit.commit(region.get(), fence));
            if (!outcome.committed()) {
                log.info(
                        "Region {} stays detached after operation {} ended: {}",
                        ended.regionId(),
                        ended.holder(),
                        outcome.reason());
            }
        } catch (RegionNotReady e) {
            log.warn(
                    "Region {} stays detached after operation {} ended: {}",
                    ended.regionId(),
                    ended.holder(),
                    e.getMessage());
            commits.releaseDetached(ended.regionId(), ended.holder());
        }
    }
}
