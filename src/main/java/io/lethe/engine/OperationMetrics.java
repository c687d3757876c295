package io.lethe.engine;

import io.lethe.device.DeviceService;
import io.lethe.device.DeviceStatus;
import io.lethe.host.BackendKind;
import io.lethe.host.BackendKinds;
import io.lethe.host.BackendType;
import io.lethe.host.HostService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The metrics the README lists under "Observe and deploy" (dashboards read them by name). Recorded
 * only once the transaction that made the fact true has committed, so a rolled-back step is never
 * counted.
 */
@Component
public class OperationMetrics {

    private final MeterRegistry registry;
    private final DeviceService devices;
    private final AtomicReference<CachedCounts> counts =
            new AtomicReference<>(new CachedCounts(Map.of(), 0, 0));

    private final HostService hosts;

    public OperationMetrics(
            MeterRegistry registry,
            DeviceService devices,
            HostService hosts,
            BackendKinds backendKinds) {
        this.registry = registry;
        List<BackendType> backends = backendKinds.all().stream().map(BackendKind::type).toList();
        this.devices = devices;
        this.hosts = hosts;
        Gauge.builder("lethe.hosts", () -> hostCount())
                .description("Registered hosts")
                .register(registry);
        for (DeviceStatus status : DeviceStatus.values()) {
            Gauge.builder("lethe.devices", () -> deviceCount(status))
                    .description("Devices by Lethe status")
                    .tag("status", status.wire())
                    .register(registry);
        }
        for (String outcome : new String[] {"succeeded", "failed"}) {
            Counter.builder("lethe.cache.invalidations")
                    .tag("outcome", outcome)
                    .description("CPU cache invalidations by outcome")
                    .register(registry);
        }
        // Every series exists from the start, so rates see the first increase instead of a series
        // that appears already counted.
        for (OperationType type : OperationType.values()) {
            for (OperationState outcome :
                    new OperationState[] {
                        OperationState.SUCCEEDED, OperationState.FAILED, OperationState.CANCELLED
                    }) {
                operationsCounter(type, outcome);
                operationTimer(type, outcome);
            }
        }
        for (StepName step : StepName.values()) {
            stepTimer(step);
            for (BackendType backend : backends) {
                registry.counter(
                        "lethe.backend.errors", "backend", backend.wire(), "step", step.wire());
            }
        }
    }

    private Counter operationsCounter(OperationType type, OperationState outcome) {
        return Counter.builder("lethe.operations")
                .description("Operations that ended, by type and outcome")
                .tag("type", type.wire())
                .tag("outcome", outcome.wire())
                .register(registry);
    }

    private Timer operationTimer(OperationType type, OperationState outcome) {
        return Timer.builder("lethe.operation.duration")
                .description("Time from request to end of an operation")
                .tag("type", type.wire())
                .tag("outcome", outcome.wire())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(4))
                .register(registry);
    }

    private Timer stepTimer(StepName step) {
        return Timer.builder("lethe.step.duration")
                .description("Duration of a step from first start to end")
                .tag("step", step.wire())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(4))
                .register(registry);
    }

    /**
     * An operation ended: counted and timed once its end commits (a listener of the end, as the
     * certificate is).
     */
    @EventListener
    void on(OperationEnded ended) {
        OperationView op = ended.operation();
        operationEnded(op.type(), op.state(), Duration.between(op.createdAt(), op.finishedAt()));
    }

    void operationEnded(OperationType type, OperationState outcome, Duration took) {
        afterCommit(
                () -> {
                    operationsCounter(type, outcome).increment();
                    operationTimer(type, outcome).record(took);
                });
    }

    void stepEnded(StepName step, Duration took) {
        afterCommit(() -> stepTimer(step).record(took));
    }

    /** A backend call failed (retried or not), by backend type and step. */
    void backendError(String backend, StepName step) {
        afterCommit(
                () ->
                        registry.counter(
                                        "lethe.backend.errors",
                                        "backend",
                                        backend,
                                        "step",
                                        step.wire())
                                .increment());
    }

    public void invalidation(boolean succeeded) {
        afterCommit(
                () ->
                        registry.counter(
                                        "lethe.cache.invalidations",
                                        "outcome",
                                        succeeded ? "succeeded" : "failed")
                                .increment());
    }

    private double hostCount() {
        deviceCount(DeviceStatus.AVAILABLE);
        return counts.get().hosts();
    }

    private double deviceCount(DeviceStatus status) {
        CachedCounts cached = counts.get();
        if (System.currentTimeMillis() - cached.at() > 2_000) {
            cached =
                    new CachedCounts(
                            devices.countByStatus(), hosts.count(), System.currentTimeMillis());
            counts.set(cached);
        }
        return cached.counts().getOrDefault(status, 0L);
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            action.run();
                        }
                    });
        } else {
            action.run();
        }
    }

    private record CachedCounts(Map<DeviceStatus, Long> counts, long hosts, long at) {}
}
