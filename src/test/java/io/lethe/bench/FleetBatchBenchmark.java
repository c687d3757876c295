package io.lethe.bench;

import com.sun.management.OperatingSystemMXBean;
import io.lethe.LetheApplication;
import io.lethe.backend.simulated.HardwareStoreConnections;
import io.lethe.support.Api;
import io.lethe.support.PostgresTestDatabase;
import io.lethe.support.TestInventory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The fleet benchmark of the batches issue: 1,250 simulated hosts with 8 devices in one 8-way
 * region each, erase 200 ms, invalidation 20 ms, max-erases-per-host 8, one batch secure-erase over
 * all 10,000 devices, on H2 and on PostgreSQL. Counts every database commit that writes (explicit
 * commits of transactions that wrote, and auto-committed writes, through a counting DataSource) and
 * measures the raw single-row commit rate of the same database in the same run. Run with {@code
 * ./mvnw -Pbenchmark test -Dtest=FleetBatchBenchmark} (the profile runs it with -Xmx512m).
 */
@Tag("benchmark")
class FleetBatchBenchmark {

    static final int HOSTS = Integer.getInteger("bench.hosts", 1_250);
    static final int DEVICES = 8;

    /**
     * Hosts of a batch run to its end before the measured one ({@code -Dbench.warmupHosts}, default
     * none): a service that has run for a while has its code compiled; a cold JVM spends a core on
     * the JIT compiler for the first minutes.
     */
    static final int WARMUP_HOSTS = Integer.getInteger("bench.warmupHosts", 0);

    /** At most this many warm-up batches ({@code -Dbench.warmupBatches}, default 1). */
    static final int WARMUP_BATCHES = Integer.getInteger("bench.warmupBatches", 1);

    /** Warm-up ends once the JIT compilers used less than this share of a core in a batch. */
    static final double WARMUP_JIT_IDLE = 0.1;

    /** When the lone erase is requested, after the batch. */
    static final Duration LONE_AFTER = Duration.ofSeconds(5);

    @Test
    void fleetOnH2() throws Exception {
        Path dir = Files.createTempDirectory("lethe-fleet-bench");
        run(
                "H2 (embedded file)",
                "--lethe.data-dir=" + dir,
                "--spring.datasource.url=jdbc:h2:file:"
                        + dir
                        // the settings of application.yml
                        + "/lethe;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY="
                        + System.getProperty("bench.writeDelay", "0")
                        + ";QUERY_CACHE_SIZE=256"
                        // to try H2 settings, e.g. -Dbench.h2Options=;PAGE_SIZE=2048
                        + System.getProperty("bench.h2Options", ""));
    }

    @Test
    void fleetOnPostgres() throws Exception {
        String schema = PostgresTestDatabase.newSchema();
        run(
                "PostgreSQL 15",
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + PostgresTestDatabase.URL + "?currentSchema=" + schema,
                "--spring.datasource.username=" + PostgresTestDatabase.USER,
                "--spring.flyway.schemas=" + schema,
                "--spring.flyway.default-schema=" + schema,
                // on PostgreSQL the secrets key must come from outside the data directory
                "--lethe.secrets.key=" + PostgresTestDatabase.TEST_SECRETS_KEY,
                "--lethe.data-dir=" + Files.createTempDirectory("lethe-fleet-bench"));
    }

    /**
     * {@code -Dbench.analyze=false}: measure PostgreSQL without statistics, as a cluster without
     * autovacuum has it.
     */
    private static final boolean ANALYZE =
            Boolean.parseBoolean(System.getProperty("bench.analyze", "true"));

    private void run(String database, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(
                List.of(
                        "--server.port=0",
                        "--lethe.workflow.max-erases-per-host=8",
                        "--lethe.workflow.max-erases=100000",
                        "--lethe.workflow.erase-poll-interval=PT0.25S",
                        "--db-scheduler.polling-interval=100ms",
                        "--spring.datasource.hikari.maximum-pool-size=20",
                        "--logging.level.io.lethe=warn",
                        "--lethe.security.unlock-attempts-per-hour=100000",
                        "--db-scheduler.threads=" + Integer.getInteger("bench.threads", 8)));
        Commits commits = new Commits();
        SimulatorCpu simulator = new SimulatorCpu();
        SpringApplicationBuilder builder =
                new SpringApplicationBuilder(LetheApplication.class)
                        .initializers(
                                context -> {
                                    context.getBeanFactory()
                                            .addBeanPostProcessor(countingCommits(commits));
                                    context.getBeanFactory()
                                            .addBeanPostProcessor(simulator.measuring());
                                    // the hardware's own store, counted beside the service's
                                    context.getBeanFactory()
                                            .addBeanPostProcessor(
                                                    HardwareStoreConnections.wrappedBy(
                                                            source -> counted(source, commits)));
                                });
        try (ConfigurableApplicationContext app = builder.run(all.toArray(String[]::new))) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            Api api = new Api(port);
            String rack = "bench-" + UUID.randomUUID();
            inventory(api, rack);
            String lone = loneDevice(api, rack);
            if (WARMUP_HOSTS > 0) {
                warmUp(api, rack + "-warmup");
            }
            if (ANALYZE && database.startsWith("PostgreSQL")) {
                // What autovacuum would have done by now (this machine's cluster runs without it):
                // statistics of the inventory, and plans cached while the tables were small
                // invalidated.
                jdbc.execute("analyze");
            }
            double rawCommitRate = rawCommitRate(jdbc);
            OperatingSystemMXBean os =
                    (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

            HeapWatch heap = new HeapWatch();
            heap.start();
            long[] commitsBefore = commits.snapshot();
            Map<String, Long> statementsBefore = commits.statementsSnapshot();
            Map<String, Long> cpuBeforeByStatement = commits.cpuSnapshot();
            Map<String, Long> threadsBefore = ThreadGroupCpu.snapshot();
            MachineCpu.Machine machineBefore = MachineCpu.machine();
            long serverBefore = MachineCpu.postgres();
            Map<String, Long> storeBefore = h2Store(jdbc, database);
            long cpuBefore = os.getProcessCpuTime();
            long simulatorBefore = simulator.nanos();
            long started = System.nanoTime();
            var batch = eraseRack(api, rack);
            JsonNode view;
            String loneOperation = null;
            do {
                Thread.sleep(loneOperation == null ? 100 : 1_000);
                if (loneOperation == null && System.nanoTime() - started >= LONE_AFTER.toNanos()) {
                    // Requested on its own while the batch runs: it must not wait behind the
                    // batch's waves.
                    loneOperation =
                            api.post(
                                            "/api/v1/devices/" + lone + "/secure-erase",
                                            "{\"method\": \"sanitize\"}")
                                    .id();
                }
                view = api.get(batch.location()).json();
            } while ("running".equals(view.get("state").asString()));
            double seconds = (System.nanoTime() - started) / 1e9;
            long cpuNanos = os.getProcessCpuTime() - cpuBefore;
            long simulatorNanos = simulator.nanos() - simulatorBefore;
            Map<String, Long> threadsAfter = ThreadGroupCpu.snapshot();
            MachineCpu.Machine machineAfter = MachineCpu.machine();
            long serverTicks = MachineCpu.postgres() - serverBefore;
            Map<String, Long> storeAfter = h2Store(jdbc, database);
            JsonNode loneEnded =
                    loneOperation == null
                            ? null
                            : api.awaitEnd(loneOperation, Duration.ofMinutes(5));
            long[] counted = commits.since(commitsBefore);
            // the service's database only: the simulated hardware's store is reported beside
            long batchCommits = counted[0] + counted[1];
            heap.finish();

            List<Long> latencies =
                    jdbc.queryForList(
                            "select cast(extract(epoch from (finished_at - created_at)) * 1000 as bigint)"
                                    + " from operations where batch_id = ? order by 1",
                            Long.class,
                            UUID.fromString(batch.id()));
            Long invalidations =
                    jdbc.queryForObject(
                            "select coalesce(sum(i.invalidations), 0) from host_invalidations i"
                                    + " join host_labels l on l.host_id = i.host_id where l.label_key = 'rack' and l.label_value = ?",
                            Long.class,
                            rack);
            int devices = HOSTS * DEVICES;
            System.out.printf(
                    Locale.ROOT,
                    "%nBENCHMARK fleet batch, %s: %d hosts x %d devices, erase 200 ms, invalidation 20 ms%n",
                    database,
                    HOSTS,
                    DEVICES);
            System.out.printf(
                    Locale.ROOT,
                    "  batch state                  %s (%s)%n",
                    view.get("state").asString(),
                    view.get("counts"));
            System.out.printf(
                    Locale.ROOT,
                    "  total time                   %8.1f s (beyond the 0.22 s critical path: %.1f s)%n",
                    seconds,
                    seconds - 0.22);
            System.out.printf(
                    Locale.ROOT, "  device erases per second     %8.0f%n", devices / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  operation latency p50 / p99  %8d / %d ms%n",
                    percentile(latencies, 50),
                    percentile(latencies, 99));
            System.out.printf(
                    Locale.ROOT,
                    "  CPU per device erase         %8.1f ms (process CPU time over the batch / erases)%n",
                    cpuNanos / 1e6 / devices);
            System.out.printf(
                    Locale.ROOT,
                    "    of it, the simulated hardware %5.1f ms (thread CPU inside its calls: its logic and"
                            + " its store; real hardware takes the service none)%n"
                            + "    the rest: service, its database, the benchmark's client %5.1f ms%n",
                    simulatorNanos / 1e6 / devices,
                    (cpuNanos - simulatorNanos) / 1e6 / devices);
            if (serverTicks > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "  PostgreSQL server CPU        %8.1f ms per erase (its processes on this machine)%n",
                        serverTicks * MachineCpu.MILLIS_PER_TICK / devices);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  machine CPU busy             %8.2f of %d cores over the batch (stolen %.2f)%n",
                    (machineAfter.busy() - machineBefore.busy())
                            * MachineCpu.MILLIS_PER_TICK
                            / 1e3
                            / seconds,
                    Runtime.getRuntime().availableProcessors(),
                    (machineAfter.steal() - machineBefore.steal())
                            * MachineCpu.MILLIS_PER_TICK
                            / 1e3
                            / seconds);
            if (loneEnded != null) {
                Long loneMillis =
                        jdbc.queryForObject(
                                "select cast(extract(epoch from (finished_at - created_at)) * 1000 as bigint)"
                                        + " from operations where id = ?",
                                Long.class,
                                UUID.fromString(loneEnded.get("id").asString()));
                System.out.printf(
                        Locale.ROOT,
                        "  lone erase, %d s into batch  %8d ms request to end, %s (its critical path 0.22 s)%n",
                        LONE_AFTER.toSeconds(),
                        loneMillis,
                        loneEnded.get("state").asString());
            }
            System.out.printf(
                    Locale.ROOT,
                    "  invalidations performed      %8d (hosts: %d)%n",
                    invalidations,
                    HOSTS);
            System.out.printf(
                    Locale.ROOT,
                    "  commits per device erase     %8.1f (%d commits in the service's database: Lethe's own"
                            + " %.1f, db-scheduler's %.1f; beside them, in its own store, the"
                            + " simulated hardware's %.1f per erase)%n",
                    (double) batchCommits / devices,
                    batchCommits,
                    (double) counted[0] / devices,
                    (double) counted[1] / devices,
                    (double) counted[2] / devices);
            if (!storeAfter.isEmpty()) {
                long written = storeAfter.get(WRITE_BYTES) - storeBefore.get(WRITE_BYTES);
                System.out.printf(
                        Locale.ROOT,
                        "  H2 store written             %8.1f KB per commit (%d MB in %d writes; read %d MB;"
                                + " page size %d KB, cache %d MB)%n",
                        written / 1024.0 / batchCommits,
                        written >> 20,
                        storeAfter.get(WRITES) - storeBefore.get(WRITES),
                        (storeAfter.get(READ_BYTES) - storeBefore.get(READ_BYTES)) >> 20,
                        storeAfter.get(PAGE_SIZE) >> 10,
                        storeAfter.get(CACHE_MAX_MB));
                System.out.printf(
                        Locale.ROOT,
                        "  H2 file                      %8d MB after the batch (%d MB before it);"
                                + " %d%% of its chunks' bytes live%n",
                        storeAfter.get(FILE_SIZE) >> 20,
                        storeBefore.get(FILE_SIZE) >> 20,
                        storeAfter.get(CHUNKS_FILL));
            }
            printStatements(commits, statementsBefore, devices);
            printStatementCpu(commits, cpuBeforeByStatement, devices);
            ThreadGroupCpu.print(threadsBefore, threadsAfter, devices);
            System.out.printf(
                    Locale.ROOT,
                    "  executions per operation     %8.1f (scheduled step executions, mean)%n",
                    jdbc.queryForObject(
                            "select avg(cast(tick as double precision)) from operations where batch_id = ?",
                            Double.class,
                            UUID.fromString(batch.id())));
            System.out.printf(
                    Locale.ROOT,
                    "  raw single-row commits/s     %8.0f (batch used %.0f commits/s, %.0f%% of it)%n",
                    rawCommitRate,
                    batchCommits / seconds,
                    100 * batchCommits / seconds / rawCommitRate);
            System.out.printf(
                    Locale.ROOT,
                    "  peak heap / max heap         %8d / %d MB; peak RSS %d MB%n%n",
                    heap.peak() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20,
                    peakRssKb() >> 10);
        }
    }

    /** Starts the batch that erases every device of the rack. */
    private static Api.Response eraseRack(Api api, String rack) {
        var batch =
                api.startBatch("secure-erase", "sanitize", Map.of("labels", Map.of("rack", rack)));
        if (batch.status() != 202) {
            throw new IllegalStateException(batch.toString());
        }
        return batch;
    }

    /**
     * Runs warm-up batches over the same {@link #WARMUP_HOSTS} hosts (their devices erased again
     * each time) until the JIT compilers used less than {@link #WARMUP_JIT_IDLE} of one core during
     * the last one, or {@link #WARMUP_BATCHES} batches ran: the state of a service that has run for
     * a while. On this 2-core machine C2 alone compiles at full speed for minutes after a start.
     */
    private static void warmUp(Api api, String rack) throws Exception {
        inventory(api, rack, WARMUP_HOSTS);
        for (int round = 1; round <= WARMUP_BATCHES; round++) {
            long compilerBefore = ThreadGroupCpu.compilerMillis();
            long started = System.nanoTime();
            var batch = eraseRack(api, rack);
            JsonNode view;
            do {
                Thread.sleep(500);
                view = api.get(batch.location()).json();
            } while ("running".equals(view.get("state").asString()));
            double seconds = (System.nanoTime() - started) / 1e9;
            double compilerShare =
                    (ThreadGroupCpu.compilerMillis() - compilerBefore) / 1e3 / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "%nWARM-UP batch %d of %d hosts x %d devices: %s in %.1f s, JIT compilers %.0f%% of a core%n",
                    round,
                    WARMUP_HOSTS,
                    DEVICES,
                    view.get("state").asString(),
                    seconds,
                    100 * compilerShare);
            if (compilerShare < WARMUP_JIT_IDLE) {
                return;
            }
        }
    }

    /** One device in a region of its own on a host outside the batch's rack. */
    private static String loneDevice(Api api, String rack) {
        String host =
                api.post(
                                "/api/v1/hosts",
                                Api.json(
                                        Map.of(
                                                "name",
                                                rack + "-lone",
                                                "labels",
                                                Map.of("rack", rack + "-other"),
                                                "backend",
                                                Map.of(
                                                        "type",
                                                        "simulated-x86",
                                                        "latencies",
                                                        Map.of(
                                                                "erase",
                                                                "PT0.2S",
                                                                "invalidate-cache",
                                                                "PT0.02S")))))
                        .id();
        String device = TestInventory.device(api, host, rack + "-lone-0");
        TestInventory.attachedRegion(api, host, List.of(device), 1048576);
        return device;
    }

    private static void inventory(Api api, String rack) throws Exception {
        inventory(api, rack, HOSTS);
    }

    private static void inventory(Api api, String rack, int hosts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            int index = h;
            done.add(
                    pool.submit(
                            () -> {
                                String host =
                                        api.post(
                                                        "/api/v1/hosts",
                                                        Api.json(
                                                                Map.of(
                                                                        "name",
                                                                        rack + "-" + index,
                                                                        "labels",
                                                                        Map.of("rack", rack),
                                                                        "backend",
                                                                        Map.of(
                                                                                "type",
                                                                                "simulated-x86",
                                                                                "latencies",
                                                                                Map.of(
                                                                                        "erase",
                                                                                        "PT0.2S",
                                                                                        "invalidate-cache",
                                                                                        "PT0.02S")))))
                                                .id();
                                List<String> devices = new ArrayList<>();
                                for (int d = 0; d < DEVICES; d++) {
                                    devices.add(
                                            TestInventory.device(
                                                    api, host, rack + "-" + index + "-" + d));
                                }
                                TestInventory.attachedRegion(api, host, devices, DEVICES * 1048576);
                                return null;
                            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    /**
     * Single-row inserts, each its own transaction, one thread: what this database commits per
     * second here.
     */
    private static double rawCommitRate(JdbcTemplate jdbc) {
        jdbc.execute(
                "create table if not exists bench_commit_rate (id bigint primary key, at timestamp)");
        int n = 2_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            jdbc.update(
                    "insert into bench_commit_rate (id, at) values (?, current_timestamp)",
                    System.nanoTime() + i);
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty()
                ? -1
                : sorted.get(
                        Math.min(
                                sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The key under which commits' CPU time is summed with the statements'. */
    private static final String COMMIT = "(commit)";

    /** Statements per device erase over the batch, the most frequent first. */
    private static final String WRITE_BYTES = "info.FILE_WRITE_BYTES";

    private static final String WRITES = "info.FILE_WRITE";
    private static final String READ_BYTES = "info.FILE_READ_BYTES";
    private static final String PAGE_SIZE = "info.PAGE_SIZE";
    private static final String CACHE_MAX_MB = "info.CACHE_MAX_SIZE";
    private static final String FILE_SIZE = "info.FILE_SIZE";
    private static final String CHUNKS_FILL = "info.CHUNKS_FILL_RATE";

    /** H2's counters of its store (empty on other databases): what each commit writes. */
    private static Map<String, Long> h2Store(JdbcTemplate jdbc, String database) {
        Map<String, Long> store = new HashMap<>();
        if (database.startsWith("H2")) {
            jdbc.query(
                    "select setting_name, setting_value from information_schema.settings"
                            + " where setting_name in (?, ?, ?, ?, ?, ?, ?)",
                    rs -> {
                        store.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                    },
                    WRITE_BYTES,
                    WRITES,
                    READ_BYTES,
                    PAGE_SIZE,
                    CACHE_MAX_MB,
                    FILE_SIZE,
                    CHUNKS_FILL);
        }
        return store;
    }

    private static void printStatements(Commits commits, Map<String, Long> before, long devices) {
        printPerErase(
                "  statements per device erase  %8.1f (the most frequent below)%n",
                commits.statementsSnapshot(), before, devices, 1.0, 25);
    }

    /** CPU time in statements and commits per device erase over the batch, the costliest first. */
    private static void printStatementCpu(Commits commits, Map<String, Long> before, long devices) {
        printPerErase(
                "  CPU in statements and commits %7.1f ms per erase (the costliest below, ms per erase)%n",
                commits.cpuSnapshot(), before, devices, 1e6, 15);
    }

    /**
     * Prints the total per erase of what was added to each statement's figure since {@code before},
     * then the {@code top} largest, each divided by {@code unit}.
     */
    private static void printPerErase(
            String headline,
            Map<String, Long> now,
            Map<String, Long> before,
            long devices,
            double unit,
            int top) {
        List<Map.Entry<String, Long>> added = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (n > 0) {
                added.add(Map.entry(e.getKey(), n));
                total += n;
            }
        }
        added.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        System.out.printf(Locale.ROOT, headline, total / unit / devices);
        for (Map.Entry<String, Long> e : added.subList(0, Math.min(top, added.size()))) {
            String sql = e.getKey().replaceAll("\\s+", " ");
            System.out.printf(
                    Locale.ROOT,
                    "    %6.2f  %s%n",
                    e.getValue() / unit / devices,
                    sql.length() > 150 ? sql.substring(0, 150) + "..." : sql);
        }
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** Counts commits: explicit ones, and statements that write while auto-commit is on. */
    /**
     * Commits by whose they are: the simulated machines' (in their own store, not the service's
     * database; real hardware costs no commit at all), db-scheduler's auto-committed bookkeeping,
     * and Lethe's own transactions.
     */
    static final class Commits {
        final AtomicLong lethe = new AtomicLong();
        final AtomicLong scheduler = new AtomicLong();
        final AtomicLong simulated = new AtomicLong();

        /** Rows each statement text wrote or read for, batched rows counted one by one. */
        final Map<String, LongAdder> statements = new ConcurrentHashMap<>();

        /**
         * CPU time of the calling thread spent in each statement text's executions (the database's
         * work on embedded H2; on PostgreSQL only the driver's), and in commits.
         */
        final Map<String, LongAdder> statementCpu = new ConcurrentHashMap<>();

        void executed(String sql) {
            statements.computeIfAbsent(sql, k -> new LongAdder()).increment();
        }

        void spent(String sql, long cpuNanos) {
            statementCpu.computeIfAbsent(sql, k -> new LongAdder()).add(cpuNanos);
        }

        Map<String, Long> cpuSnapshot() {
            Map<String, Long> copy = new HashMap<>();
            statementCpu.forEach((sql, n) -> copy.put(sql, n.sum()));
            return copy;
        }

        Map<String, Long> statementsSnapshot() {
            Map<String, Long> copy = new HashMap<>();
            statements.forEach((sql, n) -> copy.put(sql, n.sum()));
            return copy;
        }

        long[] snapshot() {
            return new long[] {lethe.get(), scheduler.get(), simulated.get()};
        }

        long[] since(long[] before) {
            long[] now = snapshot();
            return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
        }

        void count(String sqlOrNull, boolean simulatedTouched) {
            String sql = sqlOrNull == null ? "" : sqlOrNull.toLowerCase(Locale.ROOT);
            if (simulatedTouched || sql.contains("sim_")) {
                simulated.incrementAndGet();
            } else if (sql.contains("scheduled_tasks")) {
                scheduler.incrementAndGet();
            } else {
                lethe.incrementAndGet();
            }
        }
    }

    private static BeanPostProcessor countingCommits(Commits commits) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DataSource source && !(bean instanceof DelegatingDataSource)) {
                    return counted(source, commits);
                }
                return bean;
            }
        };
    }

    private static DataSource counted(DataSource source, Commits commits) {
        return new DelegatingDataSource(source) {
            @Override
            public Connection getConnection() throws SQLException {
                return counting(super.getConnection(), commits);
            }
        };
    }

    private static Connection counting(Connection connection, Commits commits) {
        boolean[] touchedSimulated = {false};
        boolean[] wrote = {false};
        InvocationHandler handler =
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        // A transaction that wrote nothing persists nothing: not counted.
                        if (wrote[0]) {
                            commits.count(null, touchedSimulated[0]);
                        }
                        touchedSimulated[0] = false;
                        wrote[0] = false;
                    } else if (method.getName().equals("rollback")) {
                        touchedSimulated[0] = false;
                        wrote[0] = false;
                    }
                    if (method.getName().startsWith("prepare")
                            && args != null
                            && args.length > 0
                            && String.valueOf(args[0]).toLowerCase(Locale.ROOT).contains("sim_")) {
                        touchedSimulated[0] = true;
                    }
                    Object result;
                    long cpuBefore =
                            method.getName().equals("commit")
                                    ? THREADS.getCurrentThreadCpuTime()
                                    : 0;
                    try {
                        result = method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (cpuBefore != 0) {
                            commits.spent(COMMIT, THREADS.getCurrentThreadCpuTime() - cpuBefore);
                        }
                    }
                    if (result instanceof Statement statement
                            && !(result instanceof CallableStatement)) {
                        String sql =
                                method.getName().startsWith("prepare")
                                                && args != null
                                                && args.length > 0
                                        ? String.valueOf(args[0])
                                        : null;
                        return countingStatement(statement, connection, sql, commits, wrote);
                    }
                    return result;
                };
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        handler);
    }

    private static Statement countingStatement(
            Statement statement,
            Connection connection,
            String preparedSql,
            Commits commits,
            boolean[] wrote) {
        Class<?>[] types =
                statement instanceof PreparedStatement
                        ? new Class<?>[] {PreparedStatement.class}
                        : new Class<?>[] {Statement.class};
        InvocationHandler handler =
                (proxy, method, args) -> {
                    String sql =
                            preparedSql != null
                                    ? preparedSql
                                    : args != null && args.length > 0
                                            ? String.valueOf(args[0])
                                            : "";
                    boolean executes = method.getName().startsWith("execute");
                    if (method.getName().equals("addBatch")
                            || (executes && !method.getName().equals("executeBatch"))) {
                        commits.executed(sql);
                    }
                    if (executes) {
                        boolean writes =
                                !sql.stripLeading().toLowerCase(Locale.ROOT).startsWith("select");
                        if (writes && connection.getAutoCommit()) {
                            commits.count(sql, false);
                        } else if (writes) {
                            wrote[0] = true;
                        }
                    }
                    long cpuBefore = executes ? THREADS.getCurrentThreadCpuTime() : 0;
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (executes) {
                            commits.spent(sql, THREADS.getCurrentThreadCpuTime() - cpuBefore);
                        }
                    }
                };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), types, handler);
    }

    /** Samples used heap every 50 ms. */
    static final class HeapWatch extends Thread {
        private volatile boolean running = true;
        private long peak;

        HeapWatch() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                    }
                }
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() {
            running = false;
        }

        long peak() {
            return peak;
        }
    }
}
