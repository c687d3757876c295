package io.lethe.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/** An append-only fact: who asked what, what a step did, how an operation ended. Never updated. */
@Entity
@Table(name = "audit_records")
class AuditRecord implements Persistable<UUID> {

    /** New records are inserted straight away: no select-before-insert for their assigned id. */
    @Transient private boolean fresh = true;

    @Id private UUID id;
    private Instant at;
    private String actor;
    private String action;

    @Column(name = "operation_id")
    private UUID operationId;

    @Column(name = "device_id")
    private UUID deviceId;

    @Column(name = "host_id")
    private UUID hostId;

    private String step;
    private String outcome;
    private String detail;
    private Long seq;

    @Column(name = "prev_hash")
    private String prevHash;

    private String hash;

    protected AuditRecord() {}

    AuditRecord(UUID id, Instant at, AuditEntry entry) {
        this.id = id;
        this.at = at;
        this.actor = entry.actor();
        this.action = entry.action();
        this.operationId = entry.operationId();
        this.deviceId = entry.deviceId();
        this.hostId = entry.hostId();
        this.step = entry.step();
        this.outcome = entry.outcome();
        this.detail =
                entry.detail() == null
                        ? null
                        : entry.detail().substring(0, Math.min(1024, entry.detail().length()));
    }

    UUID id() {
        return id;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }

    @PostLoad
    @PostPersist
    void stored() {
        fresh = false;
    }

    Long seq() {
        return seq;
    }

    String prevHash() {
        return prevHash;
    }

    String hash() {
        return hash;
    }

    /** Links the record into the chain after the record whose hash is {@code prevHash}. */
    void chain(long seq, String prevHash) {
        this.seq = seq;
        this.prevHash = prevHash;
        this.hash = AuditChain.hash(prevHash, canonical());
    }

    /** Recomputes the record's hash from its content and stored predecessor hash. */
    String recomputedHash() {
        return AuditChain.hash(prevHash, canonical());
    }

    String canonical() {
        return AuditChain.canonical(
                id, at, actor, action, operationId, deviceId, hostId, step, outcome, detail);
    }

    AuditView view() {
        return new AuditView(
                id,
                seq,
                at,
                actor,
                action,
                operationId,
                deviceId,
                hostId,
                step,
                outcome,
                detail,
                prevHash,
                hash);
    }
}
