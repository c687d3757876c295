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
 * The three operations and their steps, in order: part of the public contract (DESIGN section 3).
 */
public enum OperationType implements WireEnum {
    UNLOCK_DEVICE("unlock", List.of(PRECHECK, UNLOCK, INVALIDATE_CACHE, ATTACH_REGION)),
    SECURE_ERASE(
            "secure-erase",
            List.of(PRECHECK, DETACH_REGION, ERASE, INVALIDATE_CACHE, REATTACH_REGION, VERIFY)),
    DECOMMISSION(
            "decommission",
            List.of(PRECHECK, DETACH_REGION, ERASE, INVALIDATE_CACHE, VERIFY, RETIRE));

    /** Steps that touch a region; skipped for a device that has none. */
    static final Set<StepName> REGION_STEPS = Set.of(DETACH_REGION, REATTACH_REGION, ATTACH_REGION);

    /**
     * Once one of these started, the device's memory may have changed: no cancel, and a failure
     * quarantines.
     */
    static final Set<StepName> POINT_OF_NO_RETURN = Set.of(ERASE, UNLOCK);

    private final String wire;
    private final List<StepName> steps;

    OperationType(String wire, List<StepName> steps) {
        this.wire = wire;
        this.steps = steps;
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
