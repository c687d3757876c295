package io.lethe.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.h2.tools.TriggerAdapter;

/**
 * An H2 trigger that refuses every update of one running operation while armed: a member of a wave
 * whose record fails, for {@link WavesTest}.
 */
public class RefuseOperationUpdates extends TriggerAdapter {

    public static volatile UUID refused;

    @Override
    public void fire(Connection connection, ResultSet oldRow, ResultSet newRow)
            throws SQLException {
        UUID target = refused;
        if (target != null
                && target.equals(oldRow.getObject("id", UUID.class))
                && "running".equals(oldRow.getString("state"))) {
            throw new SQLException(
                    "refused for the test: operation " + target + " cannot be updated now");
        }
    }
}
