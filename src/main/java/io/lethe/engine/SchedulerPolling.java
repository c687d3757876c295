package io.lethe.engine;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import java.sql.DatabaseMetaData;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * How a replica locks due executions on PostgreSQL ({@code polling-strategy: lock-and-fetch}).
 *
 * <p>db-scheduler's default for PostgreSQL is one statement, {@code UPDATE ... WHERE (name,
 * instance) IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)}. Its limit holds only if the subquery
 * runs once. Once {@code scheduled_tasks} has been analysed while it held few rows in many pages
 * (the fleet idle after a busy day), PostgreSQL plans a nested-loop semi-join that runs the
 * subquery again for every row of the table; each run skips the rows this statement already updated
 * and locks the next {@code n}, so one poll picks every due execution (313 of them once, in the
 * 10,000-device benchmark). A replica then holds the whole batch's first executions in memory, in
 * the order fetched: a lone erase that falls due behind them waits for all of them, and other
 * replicas find nothing to do.
 *
 * <p>db-scheduler's other PostgreSQL variant selects {@code FOR UPDATE SKIP LOCKED LIMIT n} and
 * then updates the rows it locked, in the same transaction: the same one commit per poll, and never
 * more than {@code n}. Other databases keep what db-scheduler detects for them.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerPolling {

    private static final String POSTGRESQL = "PostgreSQL";

    @Bean
    DbSchedulerCustomizer postgresLockAndFetch(
            DataSource dataSource, ObjectProvider<DbSchedulerProperties> properties) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<JdbcCustomization> jdbcCustomization() {
                if (!POSTGRESQL.equals(productName(dataSource))) {
                    return Optional.empty();
                }
                boolean utc = properties.getObject().isAlwaysPersistTimestampInUtc();
                return Optional.of(new PostgreSqlJdbcCustomization(true, utc));
            }
        };
    }

    private static String productName(DataSource dataSource) {
        try {
            return JdbcUtils.extractDatabaseMetaData(
                    dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the scheduler runs on", e);
        }
    }
}
