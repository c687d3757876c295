package io.lethe.backend.simulated;

import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each simulated host's hardware as one JSON row, locked while it changes, so that replicas
 * share one machine and a restart finds it as it was.
 */
@Component
class MachineStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate joinTransaction;

    MachineStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        // Hardware does not roll back with the caller's transaction: every change commits on its own.
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.joinTransaction = new TransactionTemplate(transactions);
    }

    /** Applies a hardware action under the host's row lock and commits it at once. */
    <T> T change(UUID hostId, Function<SimulatedMachine, T> action) {
        return ownTransaction.execute(tx -> apply(hostId, action));
    }

    /**
     * Reads the machine's last committed state without locking it: for reads that change nothing
     * in the machine (not even its caches), so they need not wait for, or serialize, a writer.
     */
    <T> T read(UUID hostId, Function<SimulatedMachine, T> query) {
        var rows = jdbc.queryForList("select state from sim_machines where host_id = ?", String.class, hostId);
        return query.apply(rows.isEmpty() ? new SimulatedMachine() : JSON.readValue(rows.get(0), SimulatedMachine.class));
    }

    /** Applies an inventory change as part of the caller's transaction (registration). */
    void changeWithCaller(UUID hostId, Function<SimulatedMachine, ?> action) {
        joinTransaction.executeWithoutResult(tx -> apply(hostId, action));
    }

    private <T> T apply(UUID hostId, Function<SimulatedMachine, T> action) {
        var rows = jdbc.queryForList("select state from sim_machines where host_id = ? for update", String.class, hostId);
        SimulatedMachine machine = rows.isEmpty() ? new SimulatedMachine() : JSON.readValue(rows.get(0), SimulatedMachine.class);
        T result = action.apply(machine);
        String state = JSON.writeValueAsString(machine);
        if (!rows.isEmpty() && state.equals(rows.get(0))) {
            // A read (status, progress, read-back) changed nothing: nothing to write.
            return result;
        }
        if (rows.isEmpty()) {
            jdbc.update("insert into sim_machines (host_id, state, version) values (?, ?, 0)", hostId, state);
        } else {
            jdbc.update("update sim_machines set state = ?, version = version + 1 where host_id = ?", state, hostId);
        }
        return result;
    }
}
