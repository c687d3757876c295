package io.lethe.engine;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * When an operation was asked for, last moved and ended, and the deadline past which the reaper
 * fails it. A value: Hibernate does not see an embedded value changed in place, so each change is a
 * new one.
 */
@Embeddable
class Timeline {

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** Past this moment the deadline reaper fails the operation (none before V7). */
    @Column(name = "deadline")
    private Instant deadline;

    protected Timeline() {}

    private Timeline(Instant createdAt, Instant updatedAt, Instant finishedAt, Instant deadline) {
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.finishedAt = finishedAt;
        this.deadline = deadline;
    }

    static Timeline asked(Instant now, Instant deadline) {
        return new Timeline(now, now, null, deadline);
    }

    Timeline moved(Instant now) {
        return new Timeline(createdAt, now, finishedAt, deadline);
    }

    Timeline ended(Instant now) {
        return new Timeline(createdAt, now, now, deadline);
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    Instant deadline() {
        return deadline;
    }
}
