package io.lethe.cli;

import io.lethe.client.api.BatchesApi;
import io.lethe.client.api.OperationsApi;
import io.lethe.client.model.Batch;
import io.lethe.client.model.Operation;
import java.time.Duration;

/** Waits for an operation (by long poll) or a batch (by polling) to end, within a deadline. */
final class Waiting {

    /** The server holds a long poll at most a minute; shorter keeps progress moving. */
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    private static final Duration BATCH_POLL = Duration.ofSeconds(1);

    private Waiting() {}

    static boolean ended(Operation op) {
        return op.getState() == Operation.StateEnum.SUCCEEDED
                || op.getState() == Operation.StateEnum.FAILED
                || op.getState() == Operation.StateEnum.CANCELLED;
    }

    static Operation operation(
            Server server, Operation started, Duration timeout, Progress progress) {
        OperationsApi operations = new OperationsApi(server.client());
        long deadline = System.nanoTime() + timeout.toNanos();
        Operation current = started;
        progress.operation(current);
        while (!ended(current)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                progress.finishLine();
                throw new Failures.TimedOut(
                        "timed out after "
                                + human(timeout)
                                + " waiting for operation "
                                + current.getId()
                                + " ("
                                + current.getState().getValue()
                                + ")",
                        current);
            }
            Duration wait = Duration.ofNanos(Math.min(left, LONG_POLL.toNanos()));
            String iso =
                    "PT"
                            + wait.toMillis() / 1000
                            + "."
                            + String.format("%03d", wait.toMillis() % 1000)
                            + "S";
            String id = current.getId().toString();
            current = server.call(() -> operations.getOperation(id, iso));
            progress.operation(current);
        }
        progress.finishLine();
        return current;
    }

    static Batch batch(Server server, Batch started, Duration timeout, Progress progress) {
        BatchesApi batches = new BatchesApi(server.client());
        long deadline = System.nanoTime() + timeout.toNanos();
        Batch current = started;
        progress.batch(current);
        while (current.getState() == Batch.StateEnum.RUNNING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                progress.finishLine();
                throw new Failures.TimedOut(
                        "timed out after "
                                + human(timeout)
                                + " waiting for batch "
                                + current.getId()
                                + " ("
                                + current.getProgress()
                                + "% ended)",
                        current);
            }
            Server.sleep(Duration.ofNanos(Math.min(left, BATCH_POLL.toNanos())));
            String id = current.getId().toString();
            current = server.call(() -> batches.getBatch(id));
            progress.batch(current);
        }
        progress.finishLine();
        return current;
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }
}
