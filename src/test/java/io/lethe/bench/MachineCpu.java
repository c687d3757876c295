package io.lethe.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the whole machine and of its PostgreSQL server processes, from Linux's {@code /proc}:
 * whether a batch was bound by the machine's cores, and what the database server (on the same
 * machine, not in this JVM) spent. Zero where there is no {@code /proc}.
 */
final class MachineCpu {

    /** Linux's USER_HZ: /proc counts hundredths of a second on every common build. */
    static final double MILLIS_PER_TICK = 10;

    private MachineCpu() {}

    /** A process's or thread's name and the CPU ticks it has used (user and system). */
    record Task(String name, long ticks) {}

    /** Reads a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line. */
    static Task task(String stat) {
        int close = stat.lastIndexOf(')');
        // after the name: state (field 3) ... utime (14), stime (15)
        String[] fields = stat.substring(close + 2).split(" ");
        return new Task(
                stat.substring(stat.indexOf('(') + 1, close),
                Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /** Ticks the machine's cores were busy (neither idle nor waiting for I/O), and stolen. */
    record Machine(long busy, long steal) {}

    static Machine machine() {
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy =
                    Long.parseLong(f[1])
                            + Long.parseLong(f[2])
                            + Long.parseLong(f[3])
                            + Long.parseLong(f[6])
                            + Long.parseLong(f[7]);
            return new Machine(busy, Long.parseLong(f[8]));
        } catch (IOException | RuntimeException notLinux) {
            return new Machine(0, 0);
        }
    }

    /**
     * Ticks used so far by the processes named {@code postgres} (server and backends); a backend
     * that exits takes its time with it, so the pool's connections must stay open while measured.
     */
    static long postgres() {
        long ticks = 0;
        try (DirectoryStream<Path> processes =
                Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    Task task = task(Files.readString(process.resolve("stat")));
                    if (task.name().equals("postgres")) {
                        ticks += task.ticks();
                    }
                } catch (IOException | RuntimeException ended) {
                    // the process ended while we looked
                }
            }
        } catch (IOException notLinux) {
            return 0;
        }
        return ticks;
    }
}
