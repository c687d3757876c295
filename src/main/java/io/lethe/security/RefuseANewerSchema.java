package io.lethe.security;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * A replica refuses to start on a schema that a newer version has migrated. Flyway's default
 * ignores applied migrations it does not know when they are newer than its own ({@code
 * ignoreMigrationPatterns} {@code *:future}, Flyway 11's {@code FlywayModel}), so an older replica
 * would run on tables and sealed values it does not understand. Without patterns, the validation
 * before migrating fails and names the migration: fail closed, as the upgrade steps in
 * docs/operations.md ask (every replica stopped before a newer version starts).
 */
@Component
class RefuseANewerSchema implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.ignoreMigrationPatterns(new String[0]);
    }
}
