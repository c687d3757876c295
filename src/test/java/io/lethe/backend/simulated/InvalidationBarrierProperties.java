package io.lethe.backend.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.lethe.backend.BackendException;
import io.lethe.backend.EraseMethod;
import io.lethe.device.SecurityState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Lethe's promise on the simulated hardware: tenants write, read and prefetch at random, the cache
 * evicts at random, a region interleaves 1 to 8 devices, the invalidation may fail once; then one
 * member is securely erased in the order Lethe uses (detach, erase, invalidate, commit). Afterwards
 * no pre-erase byte of that device is readable through the CPU's view or from its media. The same
 * scenarios with the invalidation step switched off find stale data: the step is what keeps the
 * promise.
 */
class InvalidationBarrierProperties {

    enum Kind {
        WRITE,
        READ,
        SPECULATIVE_READ,
        EVICT
    }

    record Action(Kind kind, int line, byte fill) {}

    record Scenario(
            int ways,
            int target,
            EraseMethod method,
            List<Action> tenant,
            List<Action> whileDetached,
            boolean invalidationFailsOnce) {}

    /**
     * What a run of the workflow left readable, and whether a line of the target was cached when
     * the region was committed.
     */
    record Outcome(
            List<String> staleThroughCpu,
            List<String> staleOnMedia,
            boolean targetCachedAtCommit) {}

    @Property(tries = 400)
    void noPreEraseByteIsReadableAfterASuccessfulSecureErase(
            @ForAll("scenarios") Scenario scenario) {
        Outcome outcome = run(scenario, true);
        assertThat(outcome.staleThroughCpu()).as("through the CPU's view").isEmpty();
        assertThat(outcome.staleOnMedia()).as("on the media").isEmpty();
    }

    @Property(tries = 400)
    void withoutTheInvalidationStepStaleDataIsReadable(@ForAll("scenarios") Scenario scenario) {
        Outcome outcome = run(scenario, false);
        Assume.that(outcome.targetCachedAtCommit());
        assertThat(outcome.staleThroughCpu())
                .as("the test has teeth: a cached pre-erase line survives")
                .isNotEmpty();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> ways = Arbitraries.of(1, 2, 4, 8);
        return ways.flatMap(
                w -> {
                    int lines = w * SimulatedMachine.LINES_PER_DEVICE;
                    Arbitrary<Action> action =
                            Combinators.combine(
                                            Arbitraries.of(Kind.class),
                                            Arbitraries.integers().between(0, lines - 1),
                                            Arbitraries.bytes())
                                    .as(Action::new);
                    return Combinators.combine(
                                    Arbitraries.integers().between(0, w - 1),
                                    Arbitraries.of(EraseMethod.SANITIZE, EraseMethod.SECURE_ERASE),
                                    action.list().ofMaxSize(40),
                                    action.list().ofMaxSize(10),
                                    Arbitraries.of(true, false))
                            .as(
                                    (target, method, tenant, detached, failOnce) ->
                                            new Scenario(
                                                    w, target, method, tenant, detached, failOnce));
                });
    }

    /** Lethe's secure-erase order on the model; {@code invalidate} is the test-only switch. */
    static Outcome run(Scenario s, boolean invalidate) {
        SimulatedMachine machine = new SimulatedMachine();
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < s.ways(); i++) {
            UUID id = UUID.randomUUID();
            members.add(id);
            machine.addDevice(id, "cxl-memdev", SecurityState.DISABLED, null, null);
        }
        UUID region = UUID.randomUUID();
        long base = 64L << 30;
        machine.addRegion(region, base, members, true);
        UUID target = members.get(s.target());

        List<byte[]> preErase = new ArrayList<>(lines(machine.readMedia(target)));
        apply(machine, base, s.tenant(), preErase);
        List<Long> targetLines = machine.linesOf(region, target);
        for (Long line : targetLines) {
            if (machine.cache.containsKey(line)) {
                preErase.add(machine.cache.get(line).data.clone());
            }
        }

        machine.detach(region, 1);
        apply(machine, base, s.whileDetached(), preErase);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        SimulatedSecurity.startErase(
                machine, target, s.method(), false, null, "ticket", now, Duration.ofMillis(200));
        machine.settle(now.plusMillis(200));
        preErase.addAll(lines(new byte[0]));
        if (invalidate) {
            if (s.invalidationFailsOnce()) {
                try {
                    throw new BackendException.Transient("injected fault 'fail-once'");
                } catch (BackendException retried) {
                    // the sequencer retries the step; nothing happened on the host
                }
            }
            machine.wbinvd();
        }
        boolean cachedAtCommit = targetLines.stream().anyMatch(machine.cache::containsKey);
        machine.commit(region, 2);

        List<String> throughCpu = new ArrayList<>();
        for (Long line : targetLines) {
            byte[] seen = machine.cpuRead(line);
            if (preErase.stream().anyMatch(p -> Arrays.equals(p, seen))) {
                throughCpu.add(Long.toHexString(line));
            }
        }
        List<String> onMedia = new ArrayList<>();
        List<byte[]> media = lines(machine.readMedia(target));
        for (int i = 0; i < media.size(); i++) {
            byte[] seen = media.get(i);
            if (preErase.stream().anyMatch(p -> Arrays.equals(p, seen))) {
                onMedia.add("line " + i);
            }
        }
        return new Outcome(throughCpu, onMedia, cachedAtCommit);
    }

    private static void apply(
            SimulatedMachine machine, long base, List<Action> actions, List<byte[]> written) {
        for (Action a : actions) {
            long line = base + (long) a.line() * SimulatedMachine.LINE;
            switch (a.kind()) {
                case WRITE -> {
                    byte[] data = new byte[SimulatedMachine.LINE];
                    Arrays.fill(data, a.fill());
                    data[0] = (byte) (a.line() + 1);
                    machine.cpuWrite(line, data);
                    written.add(data);
                }
                case READ -> machine.cpuRead(line);
                case SPECULATIVE_READ -> machine.speculativeRead(line);
                case EVICT -> machine.evict(line);
                default -> throw new IllegalStateException();
            }
        }
    }

    private static List<byte[]> lines(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        for (int at = 0; at + SimulatedMachine.LINE <= bytes.length; at += SimulatedMachine.LINE) {
            lines.add(Arrays.copyOfRange(bytes, at, at + SimulatedMachine.LINE));
        }
        return lines;
    }
}
