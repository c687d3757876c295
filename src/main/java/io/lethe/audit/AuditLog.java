package io.lethe.audit;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit log: appended in the transaction of the change it records, read with filters. */
@Service
public class AuditLog {

    private final AuditRepository records;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    AuditLog(AuditRepository records, JdbcTemplate jdbc, Clock clock) {
        this.records = records;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Appends a record; must run inside the transaction of the change it records. The record joins
     * the hash chain just before that transaction commits: the chain head's row lock is then the
     * last lock the transaction takes and is held only for the commit, so appends from many
     * threads and replicas line up without deadlocks and without holding each other up for long.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(AuditEntry entry) {
        AuditRecord record = records.save(new AuditRecord(Ids.newId(), clock.instant(), entry));
        pending().add(record);
    }

    @SuppressWarnings("unchecked")
    private List<AuditRecord> pending() {
        List<AuditRecord> pending = (List<AuditRecord>) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            List<AuditRecord> fresh = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    chain(fresh);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(AuditLog.this);
                }
            });
            pending = fresh;
        }
        return pending;
    }

    private void chain(List<AuditRecord> pending) {
        var head = jdbc.queryForMap("select seq, hash from audit_chain_head where id = 1 for update");
        long seq = ((Number) head.get("seq")).longValue();
        String hash = (String) head.get("hash");
        for (AuditRecord record : pending) {
            record.chain(++seq, hash);
            hash = record.hash();
        }
        jdbc.update("update audit_chain_head set seq = ?, hash = ? where id = 1", seq, hash);
        records.flush();
    }

    /** The last record of an operation, with its place in the chain. */
    @Transactional(readOnly = true)
    public java.util.Optional<AuditView> lastOf(UUID operationId) {
        List<AuditView> all = ofOperation(operationId);
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    @Transactional(readOnly = true)
    public List<AuditView> ofOperation(UUID operationId) {
        return list(new Filter(null, operationId, null, null), new Keyset(Keyset.MAX_LIMIT, Keyset.START)).items();
    }

    @Transactional(readOnly = true)
    CursorPage<AuditView> list(Filter filter, Keyset keyset) {
        Specification<AuditRecord> spec = (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            where.add(cb.greaterThan(root.get("id"), keyset.after()));
            if (filter.deviceId() != null) {
                where.add(cb.equal(root.get("deviceId"), filter.deviceId()));
            }
            if (filter.operationId() != null) {
                where.add(cb.equal(root.get("operationId"), filter.operationId()));
            }
            if (filter.from() != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("at"), filter.from()));
            }
            if (filter.to() != null) {
                where.add(cb.lessThan(root.get("at"), filter.to()));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
        List<AuditRecord> rows = records.findBy(spec, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, AuditRecord::id, AuditRecord::view);
    }

    record Filter(UUID deviceId, UUID operationId, Instant from, Instant to) {
    }
}
