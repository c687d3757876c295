package io.lethe.security;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A table column of sealed secrets, for the module that owns the table to declare as a {@link
 * SealedSecrets} bean, with the columns its owner binding reads and how ({@link SealedFor}):
 * re-sealing opens each value for its owner with whatever key sealed it and writes it back sealed
 * with the current key.
 */
public class SealedColumn implements SealedSecrets {

    /**
     * Where the values are and whom each is sealed for.
     *
     * @param bound the columns besides the id that {@code owner} reads
     * @param owner whom a row's value is sealed for, from its id and {@code bound} columns (keys in
     *     lower case)
     */
    public record Spec(
            String table,
            String idColumn,
            String column,
            List<String> bound,
            Function<Map<String, Object>, SealedFor> owner) {

        public Spec {
            bound = List.copyOf(bound);
        }

        String select() {
            String columns = String.join(", ", bound);
            return "select "
                    + idColumn
                    + ", "
                    + column
                    + (columns.isEmpty() ? "" : ", " + columns)
                    + " from "
                    + table
                    + " where "
                    + column
                    + " is not null";
        }

        String update() {
            return "update " + table + " set " + column + " = ? where " + idColumn + " = ?";
        }
    }

    private final JdbcTemplate jdbc;
    private final Spec spec;
    private final String column;
    private final Function<Map<String, Object>, SealedFor> owner;

    public SealedColumn(JdbcTemplate jdbc, Spec spec) {
        this.jdbc = jdbc;
        this.spec = spec;
        this.column = spec.column();
        this.owner = spec.owner();
    }

    @Override
    @Transactional(readOnly = true)
    public Readability readability(SecretCipher cipher) {
        long missing = 0;
        long notTheirs = 0;
        for (Map<String, Object> row : rows("")) {
            String sealed = (String) row.get(column);
            if (!cipher.keyKnown(sealed)) {
                missing++;
                continue;
            }
            try {
                cipher.open(sealed, owner.apply(row));
            } catch (SecretCipher.SecretUnreadable e) {
                notTheirs++;
            }
        }
        return new Readability(missing, notTheirs);
    }

    @Override
    @Transactional
    public int reseal(SecretCipher cipher) {
        int resealed = 0;
        for (Map<String, Object> row : rows(" for update")) {
            String sealed = (String) row.get(column);
            if (cipher.sealedWithCurrentKey(sealed)) {
                continue;
            }
            SealedFor of = owner.apply(row);
            String secret;
            try {
                secret = cipher.open(sealed, of);
            } catch (SecretCipher.SecretUnreadable e) {
                continue;
            }
            jdbc.update(spec.update(), cipher.seal(secret, of), row.get(spec.idColumn()));
            resealed++;
        }
        return resealed;
    }

    private List<Map<String, Object>> rows(String lock) {
        return jdbc.queryForList(spec.select() + lock);
    }
}
