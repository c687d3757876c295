package io.lethe.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The steps, keyed by name: every {@link StepHandler} component registers itself, and every step of
 * every {@link OperationType} must have exactly one, or the service does not start. Adding a step
 * is adding its component and its place in {@link OperationType}; the engine names none.
 */
@Component
class StepHandlers {

    private final Map<StepName, StepHandler> byName = new EnumMap<>(StepName.class);

    StepHandlers(List<StepHandler> handlers) {
        for (StepHandler handler : handlers) {
            StepHandler earlier = byName.put(handler.step(), handler);
            if (earlier != null) {
                throw new IllegalStateException(
                        "two handlers for step "
                                + handler.step().wire()
                                + ": "
                                + earlier.getClass().getSimpleName()
                                + " and "
                                + handler.getClass().getSimpleName());
            }
        }
        for (OperationType type : OperationType.values()) {
            for (StepName step : type.steps()) {
                if (!byName.containsKey(step)) {
                    throw new IllegalStateException(
                            "no handler for step " + step.wire() + " of " + type.wire());
                }
            }
        }
    }

    StepHandler get(StepName step) {
        return byName.get(step);
    }
}
