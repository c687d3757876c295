package io.lethe.batch;

import io.lethe.common.LetheProblem;

/** Refusals of batch requests, named as facts. */
final class BatchProblems {

    private BatchProblems() {}

    /** A batch whose operations have all ended has nothing left to cancel. */
    static final class BatchEnded extends LetheProblem.Conflict {
        BatchEnded(String id, String state) {
            super(
                    "Batch has ended",
                    "Batch " + id + " has ended (" + state + "): there is nothing left to cancel");
        }
    }

    static final class BatchNotFound extends LetheProblem.NotFound {
        BatchNotFound(String id) {
            super("Batch", id);
        }
    }

    static final class InvalidBatch extends LetheProblem.BadRequest {
        InvalidBatch(String field, String detail) {
            super(field, "Invalid batch", field + ": " + detail);
        }
    }
}
