package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, the planner gets no statistics of {@code operations.state}.
 *
 * <p>Autovacuum analyses the table while it is quiet, when (almost) every operation has ended: then
 * {@code queued} and {@code running} look like they match no row, and PostgreSQL plans a host's
 * queue ({@code host_id = ? and state = ?}) through an index led by the state, as cheap as the
 * host's own index by that estimate, and reads every active operation of the fleet for each host it
 * looks at: quadratic in a batch's size (measured in docs/benchmarks.md, "Statistics taken while
 * the fleet is idle"). Without statistics the planner takes an equality on the state to match a
 * small fixed share of the rows, and the host's index, matching two columns, wins. A statistics
 * target of 0 stops new statistics; changing the column's type (to the same type) drops those
 * already gathered (PostgreSQL's ALTER TABLE removes a column's statistics when its type is set).
 * H2 plans by its own rules (see EraseAdmissionPlanJpaTest) and is left alone.
 */
public class V17__OperationStateWithoutStatistics extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("alter table operations alter column state set statistics 0");
            s.execute("alter table operations alter column state type varchar(16)");
        }
    }
}
