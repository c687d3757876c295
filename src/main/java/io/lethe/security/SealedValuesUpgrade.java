package io.lethe.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * Flyway's start-up migration, preceded, while a migration that binds sealed values ({@link
 * BindSealedColumn}) is pending on a database that holds some, by the check that the configured
 * keys open them all. A failed Java migration stays recorded as failed on H2, so a wrong key must
 * be found before anything is recorded; the next start with the right key then upgrades.
 */
@Component
public class SealedValuesUpgrade implements FlywayMigrationStrategy {

    /** The tables that hold sealed values exist from this version on. */
    private static final MigrationVersion SEALED_TABLES = MigrationVersion.fromVersion("4");

    private final List<BindSealedColumn> bindings;

    public SealedValuesUpgrade(List<BindSealedColumn> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    @Override
    public void migrate(Flyway flyway) {
        check(flyway);
        flyway.migrate();
    }

    private void check(Flyway flyway) {
        var info = flyway.info();
        MigrationInfo current = info.current();
        if (current == null || current.getVersion().compareTo(SEALED_TABLES) < 0) {
            return;
        }
        Set<MigrationVersion> pending =
                Arrays.stream(info.pending())
                        .map(MigrationInfo::getVersion)
                        .collect(Collectors.toSet());
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            for (BindSealedColumn binding : bindings) {
                if (pending.contains(binding.getVersion())) {
                    binding.checkKeys(connection);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the sealed values before the upgrade: " + e.getMessage(), e);
        }
    }
}
