package io.lethe.engine;

import static io.lethe.engine.StepName.ATTACH_REGION;
import static io.lethe.engine.StepName.DETACH_REGION;
import static io.lethe.engine.StepName.ERASE;
import static io.lethe.engine.StepName.INVALIDATE_CACHE;
import static io.lethe.engine.StepName.PRECHECK;
import static io.lethe.engine.StepName.REATTACH_REGION;
import static io.lethe.engine.StepName.RETIRE;
import static io.lethe.engine.StepName.UNLOCK;
import static io.lethe.engine.StepName.VERIFY;

import com.fasterxml.jackson.annotation.JsonValue;
import io.lethe.common.WireEnum;
import java.util.List;
import java.util.Set;

/**
 * The operations and their steps, in order: part of the public contract (README, "How an operation
 * runs"). The first three act on one device and hold it; {@code attach-region} acts on a region
 * Lethe was just told about, is recorded against its first member, and holds no device.
 */
public enum OperationType implements WireEnum {
    UNLOCK_DEVICE("unlock", List.of(PRECHECK, UNLOCK, INVALIDATE_CACHE, ATTACH_REGION), false),
    SECURE_ERASE(
            "secure-erase",
            List.of(PRECHECK, DETACH_REGION, ERASE, INVALIDATE_CACHE, REATTACH_REGION, VERIFY),
            true),
    DECOMMISSION(
            "decommission",
            List.of(PRECHECK, DETACH_REGION, ERASE, INVALIDATE_CACHE, VERIFY, RETIRE),
            true),
    /**
     * Commits a declared region: its invalidation covers whatever another region left cached at its
     * addresses (nothing to do when nothing did), then the one commit path.
     */
    ATTACH_REGION_AFTER_DECLARATION(
            "attach-region", List.of(INVALIDATE_CACHE, ATTACH_REGION), false);

    /** Steps that touch a region; skipped for a device that has none. */
    static final Set<StepName> REGION_STEPS = Set.of(DETACH_REGION, REATTACH_REGION, ATTACH_REGION);

    /**
     * Once one of these started, the device's memory may have changed: no cancel, and a failure
     * quarantines.
     */
    static final Set<StepName> POINT_OF_NO_RETURN = Set.of(ERASE, UNLOCK);

    private final String wire;
    private final List<StepName> steps;
    private final boolean erases;

    OperationType(String wire, List<StepName> steps, boolean erases) {
        this.wire = wire;
        this.steps = steps;
        this.erases = erases;
    }

    /** Erases media: waits for an erase slot, and a success earns a certificate. */
    public boolean erases() {
        return erases;
    }

    /**
     * Whether its {@code invalidate-cache} step has something to cover, given the host order number
     * it must come after (a media change, or an exposure of the region's addresses; null: none). An
     * operation that changes a device always has; an attach only over an exposed range.
     */
    public boolean needsInvalidation(Long coverSeq) {
        return holdsDevice() || coverSeq != null;
    }

    /** Changes the device's memory or security, so it holds the device while it runs. */
    public boolean holdsDevice() {
        return this != ATTACH_REGION_AFTER_DECLARATION;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    public List<StepName> steps() {
        return steps;
    }
}
