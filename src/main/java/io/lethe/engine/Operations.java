package io.lethe.engine;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The engine's door for other modules: the one place outside the engine's own steps where an
 * operation is stored, read, listed or asked to cancel. Its repository is the engine's own, so no
 * other module can save the aggregate past the state machine. Writes join the caller's transaction:
 * an operation, its request's audit record and its first execution commit together.
 */
@Component
public class Operations {

    private final OperationRepository repository;
    private final OperationScheduler scheduler;
    private final AuditLog audit;
    private final Clock clock;

    Operations(
            OperationRepository repository,
            OperationScheduler scheduler,
            AuditLog audit,
            Clock clock) {
        this.repository = repository;
        this.scheduler = scheduler;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores a new operation and answers the managed copy to go on with (an assigned id makes the
     * store a merge). It is not scheduled: {@link #startNow} or a batch's waves do that.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Operation store(Operation fresh) {
        return repository.save(fresh);
    }

    /** Schedules the operation's next execution for now. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void startNow(Operation operation) {
        scheduler.next(operation, clock.instant());
    }

    /**
     * Schedules a batch's operations for now, each list one host's wave that moves together (see
     * {@link OperationScheduler#startWaves}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void startWaves(Collection<List<Operation>> waves) {
        scheduler.startWaves(waves, clock.instant());
    }

    @Transactional(readOnly = true)
    public Optional<Operation> find(UUID id) {
        return repository.findById(id);
    }

    /** A keyset page of operations in id order, each filter optional. */
    @Transactional(readOnly = true)
    public List<Operation> page(
            UUID deviceId, OperationState state, UUID batchId, UUID after, int limit) {
        Specification<Operation> spec =
                (root, query, cb) -> {
                    List<Predicate> where = new ArrayList<>();
                    where.add(cb.greaterThan(root.get("id"), after));
                    if (deviceId != null) {
                        where.add(cb.equal(root.get("subject").get("deviceId"), deviceId));
                    }
                    if (state != null) {
                        where.add(cb.equal(root.get("state"), state));
                    }
                    if (batchId != null) {
                        where.add(cb.equal(root.get("subject").get("batchId"), batchId));
                    }
                    return cb.and(where.toArray(Predicate[]::new));
                };
        return repository.findBy(spec, q -> q.sortBy(Sort.by("id")).limit(limit).all());
    }

    /**
     * The one cancel path: asks for a cancel under the operation's row lock, audits it, and lets
     * the engine look at it now unless a step is running (then it takes effect at that step's end).
     * Empty when there is no such operation.
     *
     * @throws IllegalTransition when the erase or unlock started, or it ended
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Operation> cancel(UUID id, String actor) {
        Optional<Operation> found = repository.lock(id);
        found.ifPresent(operation -> requestCancel(operation, actor));
        return found;
    }

    /**
     * Cancels the operation if its erase or unlock has not started and no cancel was asked yet;
     * answers whether it did. Never throws for a refusal, so a batch cancel can go through all its
     * operations in one transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean cancelIfPossible(UUID id, String actor) {
        Operation operation = repository.lock(id).orElse(null);
        if (operation == null || !operation.cancellable() || operation.cancelRequested()) {
            return false;
        }
        requestCancel(operation, actor);
        return true;
    }

    private void requestCancel(Operation operation, String actor) {
        operation.requestCancel(clock.instant());
        audit.append(
                new AuditEntry(
                        actor,
                        "cancel-requested",
                        operation.id(),
                        operation.deviceId(),
                        operation.hostId(),
                        null,
                        null,
                        null));
        if (!operation.stepInFlight()) {
            scheduler.next(operation, clock.instant());
        }
    }
}
