package io.lethe.operation;

import io.lethe.common.LetheProblem;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationView;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The {@code ?wait=} of a long poll: an ISO-8601 duration of at most a minute. */
final class LongPoll {

    static final Duration MAX = Duration.ofSeconds(60);

    private LongPoll() {}

    static Duration parse(String wait) {
        try {
            Duration d = Duration.parse(wait);
            if (d.isNegative() || d.compareTo(MAX) > 0) {
                throw new InvalidWait(wait);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidWait(wait);
        }
    }

    static boolean ended(OperationView op) {
        return op.state() == OperationState.SUCCEEDED
                || op.state() == OperationState.FAILED
                || op.state() == OperationState.CANCELLED;
    }

    static final class InvalidWait extends LetheProblem.BadRequest {
        InvalidWait(String wait) {
            super(
                    "wait",
                    "Invalid wait",
                    "wait must be an ISO-8601 duration from PT0S to PT60S, was '" + wait + "'");
        }
    }
}
