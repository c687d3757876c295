package io.lethe.engine;

import io.lethe.engine.OperationScheduler.Member;
import io.lethe.engine.StepHandler.StepContext;
import io.lethe.engine.StepRuns.Ran;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Moves operations one step at a time. Each scheduled execution (a "tick") moves one operation, or
 * a wave of them (a batch's operations on one host), in rounds: one transaction starts the steps
 * ({@link FirstRound}), they run outside any transaction with a time limit ({@link StepRuns}), and
 * one transaction per round records the results with their effects, audit records and what comes
 * next, and starts the next steps ({@link RoundRecorder}). An execution whose tick is no longer an
 * operation's changes nothing for it, so a duplicate or a resumed execution after a crash is
 * harmless; a step found running is simply run again, and every step checks the hardware before it
 * acts. The conductor names no step and touches no table.
 */
@Component
class Sequencer {

    private final FirstRound first;
    private final StepRuns runs;
    private final RoundRecorder rounds;

    Sequencer(FirstRound first, StepRuns runs, RoundRecorder rounds) {
        this.first = first;
        this.runs = runs;
        this.rounds = rounds;
    }

    /**
     * One scheduled execution: of a lone operation, or of a wave (operations of one host that move
     * together, as a batch's do). It goes in rounds: one transaction records the last round's
     * results and starts every member's next step, then the steps run outside any transaction, one
     * unit after another. Steps that end at once follow each other in the same execution; members
     * that poll or wait are scheduled again together. While the replica shuts down it starts
     * nothing: members are handed back (their next execution scheduled at once, for another
     * replica), and a step already running gets {@code lethe.workflow.shutdown-grace} to finish
     * before it is handed back too. Steps are idempotent, so whoever runs a handed-back execution
     * resumes the step.
     */
    void tick(List<Member> members, BooleanSupplier shuttingDown) {
        Map<UUID, Long> ticks = new HashMap<>();
        members.forEach(m -> ticks.put(m.operationId(), m.tick()));
        if (shuttingDown.getAsBoolean()) {
            rounds.handBack(ticks, List.copyOf(ticks.keySet()), "before it began");
            return;
        }
        List<StepContext> round = first.open(ticks);
        while (!round.isEmpty()) {
            List<StepContext> toRun = new ArrayList<>();
            List<StepContext> carried = new ArrayList<>();
            splitRound(round, toRun, carried);
            List<Ran> ran = new ArrayList<>();
            List<UUID> handedBack = new ArrayList<>();
            for (List<StepContext> unit : runs.units(toRun)) {
                if (!handedBack.isEmpty() || shuttingDown.getAsBoolean()) {
                    unit.forEach(c -> handedBack.add(c.operationId()));
                    continue;
                }
                runs.run(unit, ticks, shuttingDown, ran, handedBack);
            }
            boolean mayGoOn = !shuttingDown.getAsBoolean();
            List<StepContext> goesOn = mayGoOn ? carried : List.of();
            if (!mayGoOn) {
                carried.forEach(c -> handedBack.add(c.operationId()));
            }
            round = rounds.record(ran, handedBack, goesOn, ticks, mayGoOn);
        }
    }

    /**
     * Which of the round's members run now. Members of a host move in step: one that is ahead of
     * another of its host in this round waits a round for it, so that steps grouped by region or
     * host run for all of them at once.
     */
    private static void splitRound(
            List<StepContext> round, List<StepContext> toRun, List<StepContext> carried) {
        Map<UUID, Integer> slowest = new HashMap<>();
        for (StepContext context : round) {
            slowest.merge(context.host().id(), stepIndex(context), Math::min);
        }
        for (StepContext context : round) {
            if (stepIndex(context) > slowest.get(context.host().id())) {
                carried.add(context);
            } else {
                toRun.add(context);
            }
        }
    }

    private static int stepIndex(StepContext context) {
        return context.type().steps().indexOf(context.step());
    }
}
