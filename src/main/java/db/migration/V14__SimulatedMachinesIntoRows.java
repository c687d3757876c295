package db.migration;

import io.lethe.backend.simulated.SimulatedMachineRows;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves each simulated host's machine from its JSON document ({@code sim_machines}) into the rows
 * of V13, so that an embedded database upgraded in place keeps its simulated media, caches and
 * decoders, then drops the old table.
 */
public class V14__SimulatedMachinesIntoRows extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        SimulatedMachineRows.moveDocumentsIntoRows(context.getConnection());
    }
}
