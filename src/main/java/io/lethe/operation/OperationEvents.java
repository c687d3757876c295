package io.lethe.operation;

import io.lethe.engine.OperationView;
import io.lethe.engine.WorkflowProperties;
import io.lethe.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of one operation for pipelines that follow it: an {@code operation} event with
 * the operation's JSON whenever its state, a step or a step's progress changes, until it ends.
 * Changes are read from the database, so the events come from whichever replica runs the steps.
 */
@RestController
@Tag(name = "Operations")
class OperationEvents implements DisposableBean {

    private final OperationService operations;
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "lethe-sse");
                        t.setDaemon(true);
                        return t;
                    });

    private final Waits waits;
    private final WorkflowProperties properties;

    OperationEvents(OperationService operations, Waits waits, WorkflowProperties properties) {
        this.operations = operations;
        this.waits = waits;
        this.properties = properties;
    }

    @GetMapping(
            path = "/api/v1/operations/{id}/events",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ApiResponse(
            responseCode = "200",
            description =
                    "A stream of events named "
                            + "'operation', each carrying the operation's JSON (the Operation schema, declared per event"
                            + " name in x-event-schemas), until the operation ends",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(type = "string")))
    @Operation(
            operationId = "followOperation",
            summary = "Follow an operation as Server-Sent Events until it ends",
            description =
                    "Each event is named 'operation' and carries the operation's JSON; the stream closes when it ends.")
    SseEmitter events(@PathVariable String id) {
        OperationView first = operations.get(id);
        UUID operationId = first.id();
        Waits.Slot slot = waits.acquire(Actors.current());
        SseEmitter emitter = new SseEmitter(TimeUnit.HOURS.toMillis(6));
        AtomicReference<Object> last = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        long heartbeat = properties.streamHeartbeat().toNanos();
        long[] lastSent = {System.nanoTime()};
        Runnable stop =
                () -> {
                    cancel(task);
                    slot.release();
                };
        Runnable push =
                () -> {
                    try {
                        OperationView now = operations.get(operationId);
                        Object signature = signature(now);
                        if (!Objects.equals(signature, last.getAndSet(signature))) {
                            emitter.send(
                                    SseEmitter.event()
                                            .name("operation")
                                            .id(String.valueOf(now.updatedAt()))
                                            .data(now));
                            lastSent[0] = System.nanoTime();
                        } else if (System.nanoTime() - lastSent[0] >= heartbeat) {
                            // A client that went away is only noticed when a write fails: an idle
                            // stream writes a comment.
                            emitter.send(SseEmitter.event().comment("keep-alive"));
                            lastSent[0] = System.nanoTime();
                        }
                        if (LongPoll.ended(now)) {
                            emitter.complete();
                            stop.run();
                        }
                    } catch (IOException | RuntimeException gone) {
                        stop.run();
                        try {
                            emitter.completeWithError(gone);
                        } catch (RuntimeException alreadyOver) {
                            // the stream had ended already
                        }
                    }
                };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(e -> stop.run());
        task.set(poller.scheduleWithFixedDelay(push, 0, 200, TimeUnit.MILLISECONDS));
        return emitter;
    }

    private static Object signature(OperationView op) {
        return List.of(
                op.state(),
                op.steps().stream()
                        .map(s -> s.state() + ":" + s.attempts() + ":" + s.progress())
                        .toList());
    }

    private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> f = task.get();
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void destroy() {
        // Not shutdownNow(): the poller reads the database, and an interrupt during an H2 file
        // read or write closes the embedded database. Its periodic tasks end with shutdown().
        poller.shutdown();
    }
}
