package io.lethe.cli;

import io.lethe.client.model.Batch;
import io.lethe.client.model.Operation;
import io.lethe.client.model.Step;
import java.io.PrintStream;

/**
 * Progress while waiting, on stderr: a bar redrawn in place on a terminal, otherwise one plain line
 * whenever something changes (CI logs keep every line, so a redrawn bar would only add noise).
 */
final class Progress {

    private static final int BAR = 24;
    private final PrintStream err;
    private final boolean terminal;
    private String last = "";
    private boolean drawn;

    Progress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void operation(Operation op) {
        int total = op.getSteps() == null ? 0 : op.getSteps().size();
        long done =
                op.getSteps() == null
                        ? 0
                        : op.getSteps().stream()
                                .filter(
                                        s ->
                                                s.getState() == Step.StateEnum.SUCCEEDED
                                                        || s.getState() == Step.StateEnum.SKIPPED)
                                .count();
        String step =
                op.getSteps() == null
                        ? ""
                        : op.getSteps().stream()
                                .filter(
                                        s ->
                                                s.getState() == Step.StateEnum.RUNNING
                                                        || s.getState() == Step.StateEnum.PENDING)
                                .findFirst()
                                .map(s -> s.getName().getValue())
                                .orElse("");
        String state = op.getState() == null ? "?" : op.getState().getValue();
        show(
                total == 0 ? 0 : (int) (100 * done / total),
                "operation "
                        + op.getId()
                        + " "
                        + state
                        + (step.isEmpty() ? "" : ", " + step)
                        + " ("
                        + done
                        + "/"
                        + total
                        + " steps)");
    }

    void batch(Batch batch) {
        int percent = batch.getProgress() == null ? 0 : batch.getProgress();
        show(
                percent,
                "batch "
                        + batch.getId()
                        + " "
                        + (batch.getState() == null ? "?" : batch.getState().getValue())
                        + ", "
                        + percent
                        + "% of "
                        + batch.getTotal()
                        + " operations ended");
    }

    void note(String message) {
        finishLine();
        err.println("lethe: " + message);
        err.flush();
    }

    /** Ends a bar drawn in place, so what follows starts on a line of its own. */
    void finishLine() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }

    private void show(int percent, String text) {
        if (text.equals(last)) {
            return;
        }
        last = text;
        if (terminal) {
            int filled = Math.min(BAR, percent * BAR / 100);
            err.print(
                    "\r["
                            + "#".repeat(filled)
                            + " ".repeat(BAR - filled)
                            + "] "
                            + String.format("%3d%% ", percent)
                            + text
                            + "\u001b[K");
            drawn = true;
        } else {
            err.println(text);
        }
        err.flush();
    }
}
