package io.trademesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux says of a process, from /proc: its resident memory, the CPU time it has used,
 * and how often its threads were put on a core and how long they waited for one. The load
 * tools read them before and after a run to report RSS, CPU and wake-ups per request.
 */
public final class ProcessStats {

    /** Linux's USER_HZ: the unit of utime and stime in /proc/PID/stat on every mainstream kernel. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /** The pid in a pid file, or "self" for this JVM when the file is null. */
    public static String pid(Path pidFile) throws IOException {
        return pidFile == null ? "self" : Files.readString(pidFile).trim();
    }

    /** VmRSS of a process ("123456 kB"), or a note saying why it is unknown. */
    public static String rss(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).trim();
                }
            }
            return "(unknown)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** VmRSS of a process in MB, or -1 when unknown. */
    public static double rssMb(String pid) {
        String kb = rss(pid);
        try {
            return Long.parseLong(kb.replace("kB", "").trim()) / 1024.0;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** User + system CPU time a process has used, in ms. */
    public static long cpuMs(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // The command name (field 2) may hold spaces: count fields from the ')' that ends it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
        return ticks * 1_000 / TICKS_PER_SECOND;
    }

    /**
     * Summed over a process's threads (/proc/PID/task/TID/schedstat): the times a thread was put
     * on a core (each wake-up is one) and the time threads spent runnable but waiting for a core.
     * Threads that ended between two readings drop out of the sum, so a difference is a floor.
     */
    public record Scheduling(long slices, long waitNanos) {
    }

    public static Scheduling scheduling(String pid) throws IOException {
        long slices = 0;
        long wait = 0;
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // "<ns on cpu> <ns waiting on a run queue> <timeslices>"
                    String[] f = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    wait += Long.parseLong(f[1]);
                    slices += Long.parseLong(f[2]);
                } catch (IOException gone) {
                    // the thread ended while we listed them
                }
            }
        }
        return new Scheduling(slices, wait);
    }

    /** {@link #scheduling} of each process, by name. */
    public static Map<String, Scheduling> scheduling(Map<String, String> pids) throws IOException {
        Map<String, Scheduling> out = new TreeMap<>();
        for (Map.Entry<String, String> e : pids.entrySet()) {
            out.put(e.getKey(), scheduling(e.getValue()));
        }
        return out;
    }

    /** The processes of a directory of pid files ({@code name.pid} -> pid), by name. */
    public static Map<String, String> pids(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".pid")) {
                    String pid = Files.readString(p).trim();
                    if (Files.exists(Path.of("/proc", pid))) {
                        out.put(name.substring(0, name.length() - 4), pid);
                    }
                }
            }
        }
        return out;
    }

    /** CPU ms used so far by each process, by name. */
    public static Map<String, Long> cpuMs(Map<String, String> pids) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, String> e : pids.entrySet()) {
            out.put(e.getKey(), cpuMs(e.getValue()));
        }
        return out;
    }
}
