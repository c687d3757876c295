package io.lethe.engine;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import java.time.Duration;
import java.time.Instant;

/** One step of an operation; its transitions are guarded by {@link Operation}. */
@Embeddable
class Step {

    @Convert(converter = StateConverters.StepNames.class)
    private StepName name;

    @Convert(converter = StateConverters.StepStates.class)
    private StepState state;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    private int attempts;
    private Integer progress;
    private String detail;

    protected Step() {}

    Step(StepName name, StepState state) {
        this.name = name;
        this.state = state;
    }

    StepName name() {
        return name;
    }

    StepState state() {
        return state;
    }

    int attempts() {
        return attempts;
    }

    Instant startedAt() {
        return startedAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    Duration duration() {
        return startedAt == null || finishedAt == null
                ? Duration.ZERO
                : Duration.between(startedAt, finishedAt);
    }

    void start(Instant now) {
        if (startedAt == null) {
            startedAt = now;
        }
        attempts++;
        state = StepState.RUNNING;
    }

    void progress(Integer percent, String detail) {
        this.progress = percent;
        this.detail = shorten(detail);
    }

    void end(StepState end, Instant now, String detail) {
        state = end;
        finishedAt = now;
        this.detail = shorten(detail);
        if (end == StepState.SUCCEEDED) {
            progress = progress == null ? null : 100;
        }
    }

    /** The attempt failed and another one will come. */
    void retry(String detail) {
        state = StepState.PENDING;
        this.detail = shorten(detail);
    }

    void skip(String detail) {
        state = StepState.SKIPPED;
        this.detail = shorten(detail);
    }

    OperationView.StepView view() {
        return new OperationView.StepView(
                name(), state(), startedAt, finishedAt, attempts, progress, detail);
    }

    private static String shorten(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
