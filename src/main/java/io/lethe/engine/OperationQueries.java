package io.lethe.engine;

import io.lethe.common.Ids;
import io.lethe.common.WireEnum;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The questions other modules ask about operations, answered with SQL on the engine's tables so
 * that no other module writes SQL on them. Every answer reads through JDBC in the caller's
 * transaction: a caller that changed operations through JPA in it writes them first ({@code
 * EntityManager.flush}) for them to count. States, types and step names are bound parameters.
 */
@Component
public class OperationQueries {

    private static final Set<StepState> OPEN_STEP =
            Collections.unmodifiableSet(EnumSet.of(StepState.PENDING, StepState.RUNNING));

    private static final LedgerDocument LEDGERS = new LedgerDocument();

    private final JdbcTemplate jdbc;

    OperationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Active operations of these types that were admitted, in the whole fleet. One statement (one
     * snapshot: an operation moving from queued to running is not missed between two counts) that
     * counts each active state on its own, with {@code admitted} and the state as equalities:
     * operations stay admitted when they end, and H2 looks an index up by equalities on its leading
     * columns only, so with the states as a list it read every admitted operation in the service's
     * history at every wave's start.
     */
    public long admitted(Set<OperationType> types) {
        List<Object> args = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (OperationState state : OperationState.ACTIVE) {
            StringBuilder count =
                    new StringBuilder(
                            "(select count(*) from operations where admitted and state = ? and ");
            args.add(state.wire());
            in(count, args, "type", types);
            counts.add(count.append(")").toString());
        }
        return jdbc.queryForObject(
                "select " + String.join(" + ", counts), Long.class, args.toArray());
    }

    /** An active operation of a host, as erase admission sees it. */
    public record Active(
            UUID id, OperationState state, boolean admitted, boolean cancelRequested) {}

    /**
     * The host's active operations of these types, in id order (as the database orders ids). Asked
     * in one statement (one snapshot) with the host and one state as equalities for each active
     * state, and the rest filtered here: so the embedded database reads {@code
     * ix_operations_host_state} whatever its statistics say. With conditions on {@code admitted} or
     * {@code type} in the query, H2 (before its first analysis of a fresh table, and for some
     * counts after it) chose an index of all queued or all admitted operations of the fleet and
     * read half of a 10,000-operation batch for every operation it admitted.
     */
    public List<Active> activeOnHost(UUID hostId, Set<OperationType> types) {
        List<Object> args = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        for (OperationState state : OperationState.ACTIVE) {
            selects.add(
                    "select id, type, admitted, cancel_requested, state from operations"
                            + " where host_id = ? and state = ?");
            args.add(hostId);
            args.add(state.wire());
        }
        List<Active> active = new ArrayList<>();
        jdbc.query(
                String.join(" union all ", selects),
                rs -> {
                    if (types.contains(WireEnum.require(OperationType.class, rs.getString(2)))) {
                        active.add(
                                new Active(
                                        rs.getObject(1, UUID.class),
                                        WireEnum.require(OperationState.class, rs.getString(5)),
                                        rs.getBoolean(3),
                                        rs.getBoolean(4)));
                    }
                },
                args.toArray());
        active.sort(Comparator.comparing(Active::id, Ids.ORDER));
        return active;
    }

    /**
     * Whether an active operation of the host other than {@code self} has one of these steps still
     * pending or running; only admitted operations count, and those of the types that need no
     * admission.
     */
    public boolean othersBeforeSteps(
            UUID hostId, UUID self, Set<StepName> steps, Set<OperationType> withoutAdmission) {
        List<Object> args = new ArrayList<>(List.of(hostId, self));
        StringBuilder sql =
                new StringBuilder(
                        "select count(*) from operations o where o.host_id = ? and o.id <> ? and ");
        in(sql, args, "o.state", OperationState.ACTIVE);
        in(sql.append(" and (o.admitted or "), args, "o.type", withoutAdmission);
        sql.append(
                ") and exists (select 1 from operation_steps s where s.operation_id = o.id and ");
        in(sql, args, "s.name", steps);
        in(sql.append(" and "), args, "s.state", OPEN_STEP);
        sql.append(")");
        return jdbc.queryForObject(sql.toString(), Long.class, args.toArray()) > 0;
    }

    /**
     * Running operations of the host, {@code except} aside, whose current step {@code step} is
     * running and whose last media change was recorded before host order number {@code before} (or
     * never).
     */
    public List<UUID> runningAt(UUID hostId, UUID except, StepName step, long before) {
        List<UUID> running = new ArrayList<>();
        jdbc.query(
                "select o.id, o.ledger from operations o join operation_steps s on s.operation_id = o.id"
                        + " where o.host_id = ? and o.id <> ? and o.state = ? and s.name = ? and s.state = ?",
                rs -> {
                    Long change =
                            LEDGERS.convertToEntityAttribute(rs.getString(2)).mediaChangeSeq();
                    if (change == null || change < before) {
                        running.add(rs.getObject(1, UUID.class));
                    }
                },
                hostId,
                except,
                OperationState.RUNNING.wire(),
                step.wire(),
                StepState.RUNNING.wire());
        return running;
    }

    /** The batch's operations by state, every state present (zero where none). */
    public Map<OperationState, Long> countsInBatch(UUID batchId) {
        return countsInBatches(List.of(batchId)).get(batchId);
    }

    /**
     * Each batch's operations by state, every state present (zero where none), in one statement.
     */
    public Map<UUID, Map<OperationState, Long>> countsInBatches(Collection<UUID> batchIds) {
        Map<UUID, Map<OperationState, Long>> counts = new HashMap<>();
        for (UUID batch : batchIds) {
            Map<OperationState, Long> byState = new EnumMap<>(OperationState.class);
            for (OperationState s : OperationState.values()) {
                byState.put(s, 0L);
            }
            counts.put(batch, byState);
        }
        if (batchIds.isEmpty()) {
            return counts;
        }
        jdbc.query(
                "select batch_id, state, count(*) from operations where batch_id in ("
                        + String.join(",", Collections.nCopies(batchIds.size(), "?"))
                        + ") group by batch_id, state",
                rs -> {
                    counts.get(rs.getObject(1, UUID.class))
                            .put(
                                    WireEnum.require(OperationState.class, rs.getString(2)),
                                    rs.getLong(3));
                },
                batchIds.toArray());
        return counts;
    }

    /** The batch's operations still queued or running, in id order. */
    public List<UUID> activeInBatch(UUID batchId) {
        List<Object> args = new ArrayList<>(List.of(batchId));
        StringBuilder sql = new StringBuilder("select id from operations where batch_id = ? and ");
        in(sql, args, "state", OperationState.ACTIVE);
        return jdbc.queryForList(sql.append(" order by id").toString(), UUID.class, args.toArray());
    }

    /** A failed operation of a batch: which device, and why. */
    public record Failure(UUID operationId, UUID deviceId, String error) {}

    /** The batch's first {@code limit} failed operations, in id order. */
    public List<Failure> failedInBatch(UUID batchId, int limit) {
        return jdbc.query(
                "select id, device_id, error from operations where batch_id = ? and state = ?"
                        + " order by id limit "
                        + limit,
                (rs, n) ->
                        new Failure(
                                rs.getObject(1, UUID.class),
                                rs.getObject(2, UUID.class),
                                rs.getString(3)),
                batchId,
                OperationState.FAILED.wire());
    }

    private static void in(
            StringBuilder sql,
            List<Object> args,
            String column,
            Collection<? extends WireEnum> values) {
        sql.append(column).append(" in (").append(WireEnum.parameters(values)).append(")");
        args.addAll(WireEnum.wires(values));
    }
}
