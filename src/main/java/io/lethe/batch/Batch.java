package io.lethe.batch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One fleet-wide request: its operations carry its id; its plan (with the refusals) is kept as
 * JSON.
 */
@Entity
@Table(name = "batches")
class Batch {

    @Id private UUID id;
    private String action;
    private String method;
    private String reason;
    private String selector;
    private String plan;
    private String actor;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;

    @Column(name = "created_at")
    private Instant createdAt;

    protected Batch() {}

    Batch(
            UUID id,
            String action,
            String method,
            String reason,
            String selector,
            String plan,
            String actor,
            Instant now) {
        this.id = id;
        this.action = action;
        this.method = method;
        this.reason = reason;
        this.selector = selector;
        this.plan = plan;
        this.actor = actor;
        this.createdAt = now;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    UUID id() {
        return id;
    }

    String action() {
        return action;
    }

    String method() {
        return method;
    }

    String reason() {
        return reason;
    }

    String plan() {
        return plan;
    }

    String actor() {
        return actor;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    Instant createdAt() {
        return createdAt;
    }
}
