package io.lethe.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of this JVM's native threads by name, from Linux's {@code /proc/self/task/<tid>/stat}:
 * unlike {@link java.lang.management.ThreadMXBean} it also sees the JIT compilers and the garbage
 * collector. Threads are grouped by their name without its number ({@code lethe-step-3} and {@code
 * lethe-step-7} are {@code lethe-step-}); the kernel keeps only 15 characters of a name. Threads
 * that end between two snapshots take their time with them (the rest of the process's CPU).
 */
final class ThreadGroupCpu {

    private ThreadGroupCpu() {}

    /** Each thread's CPU ticks by thread id (its name included), empty where there is no /proc. */
    static Map<String, Long> snapshot() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    MachineCpu.Task thread =
                            MachineCpu.task(Files.readString(task.resolve("stat")));
                    ticks.put(task.getFileName() + "/" + thread.name(), thread.ticks());
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException notLinux) {
            return Map.of();
        }
        return ticks;
    }

    /** CPU time the JIT compiler threads have used so far, in milliseconds. */
    static long compilerMillis() {
        return Math.round(
                snapshot().entrySet().stream()
                                .filter(e -> e.getKey().contains("CompilerThre"))
                                .mapToLong(Map.Entry::getValue)
                                .sum()
                        * MachineCpu.MILLIS_PER_TICK);
    }

    /** Prints the CPU per erase of each thread group between the snapshots, the costliest first. */
    static void print(Map<String, Long> before, Map<String, Long> after, long erases) {
        if (after.isEmpty()) {
            return;
        }
        Map<String, Long> byGroup = new HashMap<>();
        after.forEach(
                (thread, ticks) -> {
                    String group =
                            thread.substring(thread.indexOf('/') + 1).replaceAll("[0-9]+", "#");
                    byGroup.merge(group, ticks - before.getOrDefault(thread, 0L), Long::sum);
                });
        Map<String, Long> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(14)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        System.out.printf(
                Locale.ROOT,
                "  CPU by thread group          (threads alive at the end, ms per erase)%n");
        sorted.forEach(
                (group, ticks) ->
                        System.out.printf(
                                Locale.ROOT,
                                "      %6.2f  %s%n",
                                ticks * MachineCpu.MILLIS_PER_TICK / erases,
                                group));
    }
}
