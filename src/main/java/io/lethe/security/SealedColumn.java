package io.lethe.security;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A table column of sealed secrets, for the module that owns the table to declare as a {@link
 * SealedSecrets} bean: re-sealing reads each value with whatever key sealed it and writes it back
 * sealed with the current key.
 */
public class SealedColumn implements SealedSecrets {

    private final JdbcTemplate jdbc;
    private final String table;
    private final String idColumn;
    private final String column;

    public SealedColumn(JdbcTemplate jdbc, String table, String idColumn, String column) {
        this.jdbc = jdbc;
        this.table = table;
        this.idColumn = idColumn;
        this.column = column;
    }

    @Override
    @Transactional(readOnly = true)
    public long unreadable(SecretCipher cipher) {
        long unreadable = 0;
        for (String sealed :
                jdbc.queryForList(
                        "select " + column + " from " + table + " where " + column + " is not null",
                        String.class)) {
            try {
                cipher.decrypt(sealed);
            } catch (SecretCipher.SecretUnreadable e) {
                unreadable++;
            }
        }
        return unreadable;
    }

    @Override
    @Transactional
    public int reseal(SecretCipher cipher) {
        int resealed = 0;
        for (var row :
                jdbc.queryForList(
                        "select "
                                + idColumn
                                + ", "
                                + column
                                + " from "
                                + table
                                + " where "
                                + column
                                + " is not null for update")) {
            String sealed = (String) row.get(column);
            if (!cipher.sealedWithCurrentKey(sealed)) {
                jdbc.update(
                        "update " + table + " set " + column + " = ? where " + idColumn + " = ?",
                        cipher.encrypt(cipher.decrypt(sealed)),
                        row.get(idColumn));
                resealed++;
            }
        }
        return resealed;
    }
}
