package io.lethe.backend.simulated;

import io.lethe.backend.simulated.SimulatedMachineRows.Loaded;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Keeps each simulated host's hardware in the {@linkplain SimulatedHardwareStore store of its own}
 * (see {@link SimulatedMachineRows}), so that replicas share one machine and a restart finds it as
 * it was.
 *
 * <p>Hardware does not roll back with Lethe's transactions: a change commits on the store's own
 * connection, never with Lethe's. Several calls on one host can form a {@linkplain #together
 * session}: the machine is loaded and locked once, the calls act on it in turn, and what they
 * changed is written and committed once when the session ends (the way a wave's calls reach one
 * host). Outside a session each change is a session of one.
 */
@Component
class MachineStore {

    private final SimulatedHardwareStore store;
    private final ThreadLocal<Map<UUID, Session>> sessions = ThreadLocal.withInitial(HashMap::new);

    MachineStore(SimulatedHardwareStore store) {
        this.store = store;
    }

    /**
     * Applies a hardware action: within this thread's session on the host, or committed at once.
     */
    <T> T change(UUID hostId, Function<SimulatedMachine, T> action) {
        Session open = sessions.get().get(hostId);
        if (open != null) {
            return action.apply(open.machine());
        }
        return together(hostId, () -> change(hostId, action));
    }

    /**
     * Reads the machine without locking it: the session's machine where one is open on this thread,
     * else the last committed state; for reads that change nothing (not even caches).
     */
    <T> T read(UUID hostId, Function<SimulatedMachine, T> query) {
        Session open = sessions.get().get(hostId);
        return query.apply(
                open != null
                        ? open.machine()
                        : SimulatedMachineRows.load(
                                        new JdbcTemplate(store.dataSource()), hostId, false)
                                .machine);
    }

    /**
     * Runs {@code calls} as one session on the host: the machine is locked and loaded at the first
     * change, and what the calls changed is written and committed when they end, even when one
     * throws (the hardware did what it did). A session already open on this thread for the host is
     * joined.
     */
    <T> T together(UUID hostId, Supplier<T> calls) {
        if (sessions.get().containsKey(hostId)) {
            return calls.get();
        }
        Session session = new Session(store.dataSource(), hostId);
        sessions.get().put(hostId, session);
        try {
            T result = calls.get();
            session.commit();
            return result;
        } catch (RuntimeException | Error e) {
            try {
                session.commit();
            } catch (RuntimeException committing) {
                e.addSuppressed(committing);
            }
            throw e;
        } finally {
            sessions.get().remove(hostId);
        }
    }

    /**
     * The caller is about to wait (a simulated latency): what the session changed so far commits
     * now, so that the machine is never locked while nothing happens to it. The next change locks
     * and loads it again, as others may have changed it meanwhile.
     */
    void beforeWaiting(UUID hostId) {
        Session open = sessions.get().get(hostId);
        if (open != null) {
            open.commit();
        }
    }

    /**
     * One host's machine, loaded under its lock on a connection of its own once a call needs it.
     */
    private static final class Session {
        private final DataSource dataSource;
        private final UUID hostId;
        private Connection connection;
        private JdbcTemplate jdbc;
        private Loaded loaded;
        private boolean committed;

        Session(DataSource dataSource, UUID hostId) {
            this.dataSource = dataSource;
            this.hostId = hostId;
        }

        SimulatedMachine machine() {
            if (loaded == null) {
                open();
            }
            return loaded.machine;
        }

        private void open() {
            // An interrupted caller (a step past its time limit) still records what the hardware
            // did.
            boolean interrupted = Thread.interrupted();
            try {
                connection = dataSource.getConnection();
                connection.setAutoCommit(false);
                jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
                loaded = SimulatedMachineRows.load(jdbc, hostId, true);
            } catch (SQLException | RuntimeException e) {
                release();
                throw e instanceof SQLException sql
                        ? new DataAccessResourceFailureException("simulated machine", sql)
                        : (RuntimeException) e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Writes and commits what changed since the machine was loaded, and lets go of it. */
        void commit() {
            if (loaded == null) {
                return;
            }
            boolean interrupted = Thread.interrupted();
            try {
                SimulatedMachineRows.write(jdbc, loaded);
                connection.commit();
                committed = true;
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("simulated machine", e);
            } finally {
                release();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void release() {
            loaded = null;
            jdbc = null;
            if (connection == null) {
                return;
            }
            try {
                // Only what did not commit is rolled back: on an embedded H2 that writes at every
                // commit (WRITE_DELAY=0), a rollback after the commit writes the store once more,
                // which was a sixth of all the store writes of a fleet batch.
                if (!committed && !connection.getAutoCommit()) {
                    connection.rollback();
                }
                committed = false;
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool validates the connection before it lends it again
            } finally {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // nothing more to release
                }
                connection = null;
            }
        }
    }
}
