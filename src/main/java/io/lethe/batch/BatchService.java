package io.lethe.batch;

import io.lethe.audit.AuditEntry;
import io.lethe.audit.AuditLog;
import io.lethe.backend.UnlockKey;
import io.lethe.batch.BatchProblems.BatchEnded;
import io.lethe.batch.BatchProblems.BatchNotFound;
import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.lethe.common.LetheProblem;
import io.lethe.engine.Operation;
import io.lethe.engine.OperationQueries;
import io.lethe.engine.OperationState;
import io.lethe.engine.OperationType;
import io.lethe.engine.Operations;
import io.lethe.operation.OperationService;
import io.lethe.operation.StartOperation;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fleet batches: plans them, starts one operation per device in one transaction with the batch
 * itself (so a batch exists whole or not at all), reports their progress, and cancels them.
 */
@Service
class BatchService {

    /** Batches read at a time while a list filters them by state. */
    private static final int LIST_CHUNK = 500;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchPlanner planner;
    private final BatchRepository batches;
    private final OperationService operations;
    private final AuditLog audit;
    private final Operations engine;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final EntityManager entities;
    private final OperationQueries queries;

    BatchService(
            BatchPlanner planner,
            BatchRepository batches,
            OperationService operations,
            AuditLog audit,
            Operations engine,
            JdbcTemplate jdbc,
            Clock clock,
            EntityManager entities,
            OperationQueries queries) {
        this.queries = queries;
        this.entities = entities;
        this.engine = engine;
        this.planner = planner;
        this.batches = batches;
        this.operations = operations;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    BatchPlan plan(BatchRequest request) {
        return planner.plan(request).plan();
    }

    @Transactional
    BatchView start(BatchRequest request, String actor) {
        BatchPlanner.Planned planned = planner.plan(request);
        if (planned.targets().isEmpty()) {
            throw new NothingToDo(planned.plan().blockers().size());
        }
        UUID id = Ids.newId();
        List<BatchPlan.Target> started = new ArrayList<>();
        List<BatchPlan.Blocker> blockers = new ArrayList<>(planned.plan().blockers());
        Map<UUID, List<Operation>> waves = new LinkedHashMap<>();
        for (BatchPlan.Target target : planned.targets()) {
            try {
                Operation operation =
                        operations.createInBatch(
                                id,
                                new StartOperation(
                                        planned.type(),
                                        request.method(),
                                        false,
                                        false,
                                        request.reason(),
                                        request.passphrase(),
                                        planned.type() == OperationType.UNLOCK_DEVICE
                                                ? UnlockKey.PASSPHRASE
                                                : null,
                                        actor),
                                target.device(),
                                target.host(),
                                target.region());
                waves.computeIfAbsent(target.host().id(), h -> new ArrayList<>()).add(operation);
                started.add(target);
            } catch (LetheProblem refused) {
                // The device changed since it was planned (another request took it): refused like
                // the others.
                blockers.add(
                        new BatchPlan.Blocker(
                                target.device().id(),
                                target.host().id(),
                                refused.slug(),
                                refused.getMessage()));
            }
        }
        // A host's operations move together: a step is recorded for all of them in one
        // transaction, and one invalidation serves them. Several hosts share an execution.
        waves.values().forEach(wave -> wave.sort(Comparator.comparing(Operation::id)));
        engine.startWaves(waves.values());
        BatchPlan plan =
                started.size() == planned.targets().size()
                        ? planned.plan()
                        : planner.summarize(planned.type(), request, started, blockers);
        Batch batch =
                batches.save(
                        new Batch(
                                id,
                                plan.action(),
                                plan.method(),
                                request.reason(),
                                JSON.writeValueAsString(request.selector()),
                                JSON.writeValueAsString(plan),
                                actor,
                                clock.instant()));
        audit.append(
                new AuditEntry(
                        actor,
                        "batch-requested",
                        null,
                        null,
                        null,
                        null,
                        null,
                        "batch "
                                + id
                                + ": "
                                + plan.action()
                                + (plan.method() == null ? "" : " by " + plan.method())
                                + " of "
                                + plan.devices()
                                + " devices on "
                                + plan.hosts().size()
                                + " hosts, "
                                + plan.blockers().size()
                                + " refused"));
        // The view counts with plain SQL, which does not see operations JPA has not written yet.
        entities.flush();
        return view(batch);
    }

    @Transactional(readOnly = true)
    BatchView get(String id) {
        return view(find(id));
    }

    /** Cancels every operation of the batch whose erase or unlock has not started. */
    @Transactional
    BatchView cancel(String id, String actor) {
        Batch batch = find(id);
        List<UUID> open = queries.activeInBatch(batch.id());
        if (open.isEmpty()) {
            throw new BatchEnded(id, view(batch).state().wire());
        }
        batch.requestCancel();
        int cancelled = 0;
        for (UUID op : open) {
            cancelled += engine.cancelIfPossible(op, actor) ? 1 : 0;
        }
        audit.append(
                new AuditEntry(
                        actor,
                        "batch-cancel-requested",
                        null,
                        null,
                        null,
                        null,
                        null,
                        "batch "
                                + batch.id()
                                + ": "
                                + cancelled
                                + " of "
                                + open.size()
                                + " open operations cancelled"));
        return view(batch);
    }

    /**
     * Batches, oldest first, by state and by who requested them, in keyset pages. A batch's state
     * is derived from its operations, which the engine counts: candidates are read in chunks and
     * kept when their state is the one asked.
     */
    @Transactional(readOnly = true)
    CursorPage<BatchView> list(BatchState state, String requestedBy, Keyset keyset) {
        int chunk = state == null ? keyset.fetchSize() : Math.max(keyset.fetchSize(), LIST_CHUNK);
        List<UUID> ids = new ArrayList<>();
        UUID after = keyset.after();
        while (ids.size() < keyset.fetchSize()) {
            List<UUID> candidates = candidates(requestedBy, after, chunk);
            if (candidates.isEmpty()) {
                break;
            }
            Map<UUID, Map<OperationState, Long>> counts =
                    state == null ? Map.of() : queries.countsInBatches(candidates);
            for (UUID candidate : candidates) {
                if (ids.size() < keyset.fetchSize()
                        && (state == null || BatchState.of(counts.get(candidate)) == state)) {
                    ids.add(candidate);
                }
            }
            if (candidates.size() < chunk) {
                break;
            }
            after = candidates.get(candidates.size() - 1);
        }
        Map<UUID, Batch> found = new HashMap<>();
        batches.findAllById(ids).forEach(b -> found.put(b.id(), b));
        return CursorPage.of(ids.stream().map(found::get).toList(), keyset, Batch::id, this::view);
    }

    private List<UUID> candidates(String requestedBy, UUID after, int limit) {
        StringBuilder sql = new StringBuilder("select b.id from batches b where b.id > ?");
        List<Object> args = new ArrayList<>(List.of(after));
        if (requestedBy != null) {
            sql.append(" and b.actor = ?");
            args.add(requestedBy);
        }
        sql.append(" order by b.id limit ").append(limit);
        return jdbc.queryForList(sql.toString(), UUID.class, args.toArray());
    }

    private Batch find(String id) {
        return Ids.parse(id).flatMap(batches::findById).orElseThrow(() -> new BatchNotFound(id));
    }

    private BatchView view(Batch batch) {
        Map<OperationState, Long> byState = queries.countsInBatch(batch.id());
        Map<String, Long> counts = new LinkedHashMap<>();
        byState.forEach((s, n) -> counts.put(s.wire(), n));
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        long open = OperationState.ACTIVE.stream().mapToLong(byState::get).sum();
        BatchState state = BatchState.of(byState);
        List<BatchView.Failure> failures =
                queries.failedInBatch(batch.id(), 100).stream()
                        .map(f -> new BatchView.Failure(f.operationId(), f.deviceId(), f.error()))
                        .toList();
        int progress = total == 0 ? 100 : (int) ((total - open) * 100 / total);
        return new BatchView(
                batch.id(),
                batch.action(),
                batch.method(),
                batch.reason(),
                state,
                (int) total,
                counts,
                progress,
                failures,
                batch.cancelRequested(),
                JSON.readValue(batch.plan(), BatchPlan.class),
                batch.actor(),
                batch.createdAt());
    }

    /** Every device the selector picked is refused: no batch is created. */
    static final class NothingToDo extends LetheProblem.Conflict {
        NothingToDo(int refused) {
            super(
                    "Nothing to do",
                    "The batch would act on no device: all "
                            + refused
                            + " selected devices are refused; plan it with \"dryRun\": true to see why");
        }
    }
}
