package io.lethe.operation;

import io.lethe.engine.OperationType;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that starts an operation of this type: its API description lists the type's
 * steps as {@link OperationType} orders them ({@link StepListDescriptions}), so a new step changes
 * no endpoint.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface StartsOperation {
    OperationType value();
}
