package io.lethe.audit;

import io.lethe.common.CursorPage;
import io.lethe.common.Ids;
import io.lethe.common.Keyset;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.persistence.criteria.Predicate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The audit log: appended in the transaction of the change it records, read with filters. */
@Service
public class AuditLog {

    private final AuditRepository records;
    private final AuditSealer sealer;
    private final ChainExtension extension;
    private final Clock clock;

    private final Timer appendTimer;

    AuditLog(
            AuditRepository records,
            AuditSealer sealer,
            ChainExtension extension,
            Clock clock,
            MeterRegistry registry) {
        this.extension = extension;
        this.appendTimer =
                Timer.builder("lethe.audit.append")
                        .description("Time to append one audit record")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(5))
                        .register(registry);
        this.records = records;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * Appends a record; must run inside the transaction of the change it records, so the record
     * exists exactly when the change does. It joins the hash chain moments later, when {@link
     * AuditSealer} seals it: appending costs one insert and takes no global lock.
     *
     * @return the record's id and the hash of its content, which a statement signed before the
     *     record is chained can name
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AuditRef append(AuditEntry entry) {
        // to the microsecond, as both databases store it: the content hashed now is the stored one
        AuditRecord record =
                new AuditRecord(Ids.newId(), clock.instant().truncatedTo(ChronoUnit.MICROS), entry);
        appendTimer.record(() -> records.save(record));
        return new AuditRef(record.id(), AuditChain.contentHash(record.canonical()));
    }

    /**
     * Records an administrative change that belongs to no operation (a token, a host, a key), in
     * the caller's transaction when there is one, so the record exists exactly when the change
     * does. The detail must name what changed and never hold a secret.
     */
    @Transactional
    public void recordAdmin(
            String actor, String action, UUID hostId, UUID deviceId, String detail) {
        append(new AuditEntry(actor, action, null, deviceId, hostId, null, null, detail));
    }

    /** The last chained record. */
    public ChainHead head() {
        return sealer.head();
    }

    /**
     * Whether the chain runs, record by record, from the record at {@code seq} with {@code hash} to
     * {@code head} (a head read before).
     */
    @Transactional(readOnly = true)
    public boolean extendsTo(long seq, String hash, ChainHead head) {
        return extension.extendsTo(seq, hash, head);
    }

    /** Chains every committed record now (normally done every few hundred milliseconds). */
    public void seal() {
        sealer.seal();
    }

    @Transactional(readOnly = true)
    public List<AuditView> ofOperation(UUID operationId) {
        return list(
                        new Filter(null, operationId, null, null),
                        new Keyset(Keyset.MAX_LIMIT, Keyset.START))
                .items();
    }

    @Transactional(readOnly = true)
    CursorPage<AuditView> list(Filter filter, Keyset keyset) {
        Specification<AuditRecord> spec =
                (root, query, cb) -> {
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
        List<AuditRecord> rows =
                records.findBy(spec, q -> q.sortBy(Sort.by("id")).limit(keyset.fetchSize()).all());
        return CursorPage.of(rows, keyset, AuditRecord::id, AuditRecord::view);
    }

    record Filter(UUID deviceId, UUID operationId, Instant from, Instant to) {}
}
