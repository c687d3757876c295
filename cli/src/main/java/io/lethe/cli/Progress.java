package io.lethe.cli;

import io.lethe.client.model.Batch;
import io.lethe.client.model.Operation;
import io.lethe.client.model.Step;
import java.io.PrintStream;
import java.util.List;

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

    /**
     * One form for every state: {@code operation ID STATE[, STEP], DONE of TOTAL steps done}. STEP
     * is the step running or next, or the one that failed; DONE counts succeeded steps; TOTAL
     * leaves out steps skipped because they do not apply (a device in no region), not those a
     * failure or a cancel left unrun.
     */
    void operation(Operation op) {
        show(percent(op), line(op));
    }

    static String line(Operation op) {
        List<Step> steps = op.getSteps() == null ? List.of() : op.getSteps();
        long done = steps.stream().filter(s -> s.getState() == Step.StateEnum.SUCCEEDED).count();
        long total = steps.stream().filter(s -> !inapplicable(s)).count();
        String step =
                steps.stream()
                        .filter(
                                s ->
                                        s.getState() == Step.StateEnum.RUNNING
                                                || s.getState() == Step.StateEnum.FAILED
                                                || s.getState() == Step.StateEnum.PENDING)
                        .findFirst()
                        .map(s -> s.getName().getValue())
                        .orElse("");
        String state = op.getState() == null ? "?" : op.getState().getValue();
        return "operation "
                + op.getId()
                + " "
                + state
                + (step.isEmpty() ? "" : ", " + step)
                + ", "
                + done
                + " of "
                + total
                + " steps done";
    }

    private static int percent(Operation op) {
        List<Step> steps = op.getSteps() == null ? List.of() : op.getSteps();
        long total = steps.stream().filter(s -> !inapplicable(s)).count();
        long done = steps.stream().filter(s -> s.getState() == Step.StateEnum.SUCCEEDED).count();
        return total == 0 ? 0 : (int) (100 * done / total);
    }

    /** Skipped because it does not apply, not because a failure or a cancel stopped the rest. */
    private static boolean inapplicable(Step step) {
        if (step.getState() != Step.StateEnum.SKIPPED) {
            return false;
        }
        String detail = step.getDetail() == null ? "" : step.getDetail();
        return !detail.startsWith("not run") && !detail.startsWith("cancelled");
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
