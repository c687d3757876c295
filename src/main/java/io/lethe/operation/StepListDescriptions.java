package io.lethe.operation;

import io.lethe.engine.StepName;
import io.swagger.v3.oas.models.Operation;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Prefixes the API description of each endpoint marked {@link StartsOperation} with the steps its
 * operation runs, read from the engine's step lists rather than written beside each endpoint.
 */
@Component
class StepListDescriptions implements OperationCustomizer {

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        StartsOperation starts = handler.getMethodAnnotation(StartsOperation.class);
        if (starts != null) {
            String steps =
                    starts.value().steps().stream()
                            .map(StepName::wire)
                            .collect(Collectors.joining(", "));
            String rest = operation.getDescription();
            operation.setDescription(
                    "Steps: " + steps + "." + (rest == null || rest.isEmpty() ? "" : " " + rest));
        }
        return operation;
    }
}
