package io.lethe.steps;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.tools.TriggerAdapter;

/**
 * An H2 trigger on audit inserts that, while armed, makes the n-th insert from now fail: the
 * transaction that records a step (or starts one) rolls back as if the replica died before its
 * commit, after the step's hardware action. The execution is then run again, as db-scheduler runs a
 * dead replica's execution.
 */
public class CrashBeforeCommit extends TriggerAdapter {

    private static volatile int countdown;

    static void arm(int nth) {
        countdown = nth;
    }

    static void disarm() {
        countdown = 0;
    }

    @Override
    public void fire(Connection connection, ResultSet oldRow, ResultSet newRow)
            throws SQLException {
        if (countdown > 0 && --countdown == 0) {
            throw new SQLException(
                    "crash injected by the test: the replica died before this transaction committed");
        }
    }
}
