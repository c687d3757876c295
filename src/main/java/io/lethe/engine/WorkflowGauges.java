package io.lethe.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Queue depth and operations in flight by step, read from the database (so every replica reports
 * the fleet's figures) at most every two seconds however often Prometheus scrapes.
 */
@Component
class WorkflowGauges {

    private final JdbcTemplate jdbc;
    private final AtomicReference<Snapshot> snapshot =
            new AtomicReference<>(new Snapshot(0, Map.of(), 0));

    WorkflowGauges(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        Gauge.builder("lethe.operations.queued", () -> current().queued())
                .description("Operations accepted and not yet started")
                .register(registry);
        for (StepName step : StepName.values()) {
            Gauge.builder(
                            "lethe.operations.in.flight",
                            () -> current().running().getOrDefault(step.wire(), 0L))
                    .description("Operations whose current step is running, by step")
                    .tag("step", step.wire())
                    .register(registry);
        }
    }

    private Snapshot current() {
        Snapshot s = snapshot.get();
        if (System.currentTimeMillis() - s.at() > 2_000) {
            Long queued =
                    jdbc.queryForObject(
                            "select count(*) from operations where state = ?",
                            Long.class,
                            OperationState.QUEUED.wire());
            Map<String, Long> running = new HashMap<>();
            jdbc.query(
                    "select name, count(*) from operation_steps where state = ? group by name",
                    rs -> {
                        running.put(rs.getString(1), rs.getLong(2));
                    },
                    StepState.RUNNING.wire());
            s = new Snapshot(queued == null ? 0 : queued, running, System.currentTimeMillis());
            snapshot.set(s);
        }
        return s;
    }

    private record Snapshot(long queued, Map<String, Long> running, long at) {}
}
