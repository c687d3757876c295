package io.lethe.engine;

import io.lethe.common.WireEnumConverter;
import jakarta.persistence.Converter;

/**
 * The operation's type, its and its steps' states, and step names, stored as their wire strings.
 */
final class StateConverters {

    private StateConverters() {}

    @Converter
    static final class OperationStates extends WireEnumConverter<OperationState> {
        OperationStates() {
            super(OperationState.class);
        }
    }

    @Converter
    static final class OperationTypes extends WireEnumConverter<OperationType> {
        OperationTypes() {
            super(OperationType.class);
        }
    }

    @Converter
    static final class StepStates extends WireEnumConverter<StepState> {
        StepStates() {
            super(StepState.class);
        }
    }

    @Converter
    static final class StepNames extends WireEnumConverter<StepName> {
        StepNames() {
            super(StepName.class);
        }
    }
}
