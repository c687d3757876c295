package io.lethe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.lethe.engine.OperationScheduler.Member;
import io.lethe.support.Api;
import io.lethe.support.TestInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A batch's operations on one host move as one wave: one scheduled execution moves them all, step
 * by step, and one invalidation serves them; the waves of up to {@code hosts-per-execution} hosts
 * share an execution. The scheduler here never polls on its own (polling interval of an hour): the
 * test takes each due execution, checks whom it names, and runs it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "lethe.workflow.max-erases-per-host=8",
            "lethe.workflow.hosts-per-execution=2",
            "db-scheduler.polling-interval=1h"
        })
class WavesTest {

    @LocalServerPort int port;
    @Autowired SchedulerClient scheduler;
    @Autowired Sequencer sequencer;
    @Autowired JdbcTemplate jdbc;

    @Test
    void eachHostsOperationsOfABatchMoveTogetherTwoHostsAnExecutionAndShareOneInvalidation()
            throws Exception {
        Api api = new Api(port);
        List<String> hosts = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            String host =
                    api.post(
                                    "/api/v1/hosts",
                                    Api.json(
                                            Map.of(
                                                    "name",
                                                    "wave-" + UUID.randomUUID(),
                                                    "backend",
                                                    Map.of(
                                                            "type",
                                                            "simulated-x86",
                                                            "latencies",
                                                            Map.of("erase", "PT0.2S")))))
                            .id();
            List<String> devices = new ArrayList<>();
            for (int d = 0; d < 4; d++) {
                devices.add(TestInventory.device(api, host, "W-" + UUID.randomUUID()));
            }
            attach(api, TestInventory.region(api, host, devices, 4 * 1048576));
            hosts.add(host);
        }
        var batch = api.startBatch("secure-erase", "sanitize", Map.of("hostIds", hosts));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
        Map<UUID, Set<UUID>> operationsByHost = new HashMap<>();
        api.get("/api/v1/operations?limit=100&batchId=" + batch.id())
                .json()
                .get("items")
                .forEach(
                        op ->
                                operationsByHost
                                        .computeIfAbsent(
                                                UUID.fromString(op.get("hostId").asString()),
                                                k -> new HashSet<>())
                                        .add(UUID.fromString(op.get("id").asString())));
        assertThat(operationsByHost)
                .hasSize(3)
                .allSatisfy((host, ops) -> assertThat(ops).hasSize(4));

        Map<UUID, Integer> executionsByHost = new HashMap<>();
        int mostHostsInAnExecution = 0;
        for (int round = 0; round < 40; round++) {
            Set<UUID> ofBatch = new HashSet<>();
            operationsByHost.values().forEach(ofBatch::addAll);
            List<ScheduledExecution<Object>> due =
                    steps().stream()
                            .filter(
                                    e ->
                                            members(e).stream()
                                                    .anyMatch(
                                                            m -> ofBatch.contains(m.operationId())))
                            .toList();
            if (due.isEmpty()) {
                break;
            }
            for (ScheduledExecution<Object> execution : due) {
                List<Member> members = members(execution);
                Set<UUID> named = new HashSet<>();
                members.forEach(m -> named.add(m.operationId()));
                Set<UUID> touched = hostsOf(operationsByHost, named);
                Set<UUID> ofTouched = new HashSet<>();
                touched.forEach(h -> ofTouched.addAll(operationsByHost.get(h)));
                assertThat(named)
                        .as(
                                () ->
                                        "an execution names every operation of each host it"
                                                + " moves: "
                                                + named.stream()
                                                        .map(
                                                                op ->
                                                                        api.get(
                                                                                        "/api/v1/operations/"
                                                                                                + op)
                                                                                .body())
                                                        .toList())
                        .isEqualTo(ofTouched);
                assertThat(touched).as("at most hosts-per-execution hosts").hasSizeLessThan(3);
                mostHostsInAnExecution = Math.max(mostHostsInAnExecution, touched.size());
                touched.forEach(h -> executionsByHost.merge(h, 1, Integer::sum));
                sleepUntil(execution.getExecutionTime());
                scheduler.cancel(
                        TaskInstanceId.of(
                                OperationScheduler.TASK, execution.getTaskInstance().getId()));
                sequencer.tick(members, () -> false);
                if (touched.stream().allMatch(h -> executionsByHost.get(h) == 1)) {
                    for (UUID op : named) {
                        JsonNode view = api.get("/api/v1/operations/" + op).json();
                        assertThat(step(view, "erase"))
                                .as(
                                        "the first execution took every operation to its erase: "
                                                + view)
                                .isEqualTo("running");
                    }
                }
            }
        }

        for (Set<UUID> ops : operationsByHost.values()) {
            for (UUID op : ops) {
                JsonNode view = api.get("/api/v1/operations/" + op).json();
                assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("succeeded");
                // The members let go of their region together, and that one commit served them all.
                assertThat(Api.step(view, "reattach-region").get("detail").asString())
                        .as(view.toString())
                        .isEqualTo("region region0 committed");
            }
        }
        // First execution: precheck to the erase's start; then polls until the erases end, and the
        // rest of the steps in the execution that finds them ended.
        assertThat(executionsByHost)
                .hasSize(3)
                .allSatisfy((host, executions) -> assertThat(executions).isBetween(2, 6));
        assertThat(mostHostsInAnExecution).as("two hosts shared an execution").isEqualTo(2);
        assertThat(
                        jdbc.queryForObject(
                                "select sum(invalidations) from host_invalidations where host_id in (?, ?, ?)",
                                Long.class,
                                UUID.fromString(hosts.get(0)),
                                UUID.fromString(hosts.get(1)),
                                UUID.fromString(hosts.get(2))))
                .as("one invalidation per host")
                .isEqualTo(3L);
    }

    @Test
    void aMemberWhoseRecordFailsDoesNotHoldTheOthersBack() throws Exception {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "stuck-" + UUID.randomUUID());
        for (int d = 0; d < 3; d++) {
            api.post(
                    "/api/v1/hosts/" + host + "/devices",
                    Api.json(
                            Map.of(
                                    "serial",
                                    "S-" + UUID.randomUUID(),
                                    "kind",
                                    "cxl-memdev",
                                    "capacityBytes",
                                    1048576)));
        }
        var batch = api.startBatch("secure-erase", "sanitize", Map.of("hostIds", List.of(host)));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
        ScheduledExecution<Object> wave =
                steps().stream().filter(e -> members(e).size() == 3).findFirst().orElseThrow();
        List<Member> members = members(wave);
        UUID stuck = members.get(1).operationId();
        scheduler.cancel(
                TaskInstanceId.of(OperationScheduler.TASK, wave.getTaskInstance().getId()));

        jdbc.execute(
                "create trigger refuse_operation_updates before update on operations for each row call \""
                        + RefuseOperationUpdates.class.getName()
                        + "\"");
        try {
            RefuseOperationUpdates.refused = stuck;
            assertThatThrownBy(() -> sequencer.tick(members, () -> false))
                    .as("the member's own failure ends the execution")
                    .hasMessageContaining("refused for the test");
            for (Member member : members) {
                JsonNode view = api.get("/api/v1/operations/" + member.operationId()).json();
                if (member.operationId().equals(stuck)) {
                    assertThat(step(view, "precheck"))
                            .as("its precheck is not recorded: " + view)
                            .isEqualTo("running");
                } else {
                    assertThat(step(view, "precheck"))
                            .as("the others went on: " + view)
                            .isEqualTo("succeeded");
                }
            }
        } finally {
            RefuseOperationUpdates.refused = null;
            jdbc.execute("drop trigger refuse_operation_updates");
        }

        // db-scheduler runs the failed execution again: the stuck member resumes, the others go on.
        sequencer.tick(members, () -> false);
        Set<UUID> ours = new HashSet<>();
        members.forEach(m -> ours.add(m.operationId()));
        for (int round = 0; round < 40; round++) {
            List<ScheduledExecution<Object>> due =
                    steps().stream()
                            .filter(
                                    e ->
                                            members(e).stream()
                                                    .anyMatch(m -> ours.contains(m.operationId())))
                            .toList();
            if (due.isEmpty()) {
                break;
            }
            for (ScheduledExecution<Object> execution : due) {
                sleepUntil(execution.getExecutionTime());
                scheduler.cancel(
                        TaskInstanceId.of(
                                OperationScheduler.TASK, execution.getTaskInstance().getId()));
                sequencer.tick(members(execution), () -> false);
            }
        }
        for (Member member : members) {
            JsonNode view = api.get("/api/v1/operations/" + member.operationId()).json();
            assertThat(view.get("state").asString()).as(view.toString()).isEqualTo("succeeded");
            assertThat(view.get("steps").get(0).get("attempts").asInt())
                    .as("resumed, not retried")
                    .isEqualTo(1);
        }
    }

    @Test
    void aLoneOperationHasAnExecutionOfItsOwn() {
        Api api = new Api(port);
        String host = TestInventory.simulatedHost(api, "lone-" + UUID.randomUUID());
        String device = TestInventory.device(api, host, "L-" + UUID.randomUUID());
        String op =
                api.post(
                                "/api/v1/devices/" + device + "/secure-erase",
                                "{\"method\": \"sanitize\"}")
                        .id();
        List<List<Member>> naming =
                steps().stream()
                        .map(WavesTest::members)
                        .filter(
                                members ->
                                        members.stream()
                                                .anyMatch(
                                                        m -> m.operationId().toString().equals(op)))
                        .toList();
        assertThat(naming).hasSize(1);
        assertThat(naming.get(0))
                .extracting(Member::operationId)
                .containsExactly(UUID.fromString(op));
    }

    /** Scheduled executions of the step task. */
    /** Runs the attach-region operation the declaration started until it has ended. */
    private void attach(Api api, Api.Response declared) throws Exception {
        UUID attach = UUID.fromString(declared.json().get("attachOperationId").asString());
        for (int i = 0; i < 10 && !Api.ended(api.get("/api/v1/operations/" + attach).json()); i++) {
            for (ScheduledExecution<Object> execution : steps()) {
                List<Member> members = members(execution);
                if (members.stream().anyMatch(m -> m.operationId().equals(attach))) {
                    sleepUntil(execution.getExecutionTime());
                    scheduler.cancel(
                            TaskInstanceId.of(
                                    OperationScheduler.TASK, execution.getTaskInstance().getId()));
                    sequencer.tick(members, () -> false);
                }
            }
        }
        assertThat(api.get("/api/v1/operations/" + attach).text("state")).isEqualTo("succeeded");
    }

    private List<ScheduledExecution<Object>> steps() {
        return scheduler.getScheduledExecutions(ScheduledExecutionsFilter.all()).stream()
                .filter(e -> e.getTaskInstance().getTaskName().equals(OperationScheduler.TASK))
                .toList();
    }

    private static List<Member> members(ScheduledExecution<Object> execution) {
        return OperationScheduler.members(
                execution.getTaskInstance().getId(), (String) execution.getData());
    }

    private static Set<UUID> hostsOf(Map<UUID, Set<UUID>> operationsByHost, Set<UUID> named) {
        Set<UUID> hosts = new HashSet<>();
        operationsByHost.forEach(
                (host, ops) -> {
                    if (ops.stream().anyMatch(named::contains)) {
                        hosts.add(host);
                    }
                });
        return hosts;
    }

    private static String step(JsonNode view, String name) {
        for (JsonNode step : view.get("steps")) {
            if (step.get("name").asString().equals(name)) {
                return step.get("state").asString();
            }
        }
        throw new AssertionError("no step " + name + " in " + view);
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long wait = Duration.between(Instant.now(), at).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
