package io.lethe.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A migration that re-seals a column's values of the formats before {@code v3}, which bound
 * nothing, for their owners ({@link SealedFor}), declared as a bean by the module that owns the
 * table. Replicas still running the version before cannot open the result, so the upgrade stops
 * them all first (docs/operations.md). A value no configured key opens is refused by {@link
 * SealedValuesUpgrade} before anything is recorded.
 */
public class BindSealedColumn implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final SecretCipher cipher;
    private final SealedColumn.Spec spec;

    public BindSealedColumn(
            String version, String description, SecretCipher cipher, SealedColumn.Spec spec) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        this.cipher = cipher;
        this.spec = spec;
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    /**
     * Checks that every value to bind opens with the configured keys.
     *
     * @throws IllegalStateException naming the key id and the settings to correct
     */
    void checkKeys(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(spec.select());
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                String stored = rows.getString(2);
                if (SecretCipher.unbound(stored)) {
                    open(stored);
                }
            }
        }
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        checkKeys(connection);
        try (PreparedStatement query = connection.prepareStatement(spec.select());
                ResultSet rows = query.executeQuery();
                PreparedStatement write = connection.prepareStatement(spec.update())) {
            while (rows.next()) {
                String stored = rows.getString(2);
                if (!SecretCipher.unbound(stored)) {
                    continue;
                }
                write.setString(1, cipher.seal(open(stored), spec.owner().apply(row(rows))));
                write.setObject(2, rows.getObject(1));
                write.addBatch();
            }
            write.executeBatch();
        }
    }

    private static Map<String, Object> row(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getObject(i));
        }
        return row;
    }

    private String open(String stored) {
        try {
            return cipher.openUnbound(stored);
        } catch (SecretCipher.SecretUnreadable e) {
            throw new IllegalStateException(
                    "a sealed value in the database cannot be opened with the configured"
                            + " secrets key (key id "
                            + cipher.keyId()
                            + "): start with the key that sealed it in LETHE_SECRETS_KEY, or"
                            + " with it in LETHE_SECRETS_PREVIOUS_KEYS");
        }
    }
}
