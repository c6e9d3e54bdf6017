package io.trademesh.platform.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM started by a test with the test's classpath and the same JVM flags
 * (Hazelcast's opens), whose stdout lines the test reads; stderr goes to a file for
 * diagnosis. Always close it: close kills the process if it still runs.
 */
public final class ChildJvm implements AutoCloseable {

    /**
     * Every child still running when the test JVM exits is killed then: a fixture that fails half-way through its
     * set-up never reaches its close, and its children would outlive the build.
     */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "child-jvm-reaper"));
    }

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away; the lines read so far stay
            }
        }, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code args} and extra environment {@code env}. */
    public static ChildJvm start(Class<?> mainClass, Map<String, String> env, Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("trademesh.child.jvm.flags", "");
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                cmd.add(f);
            }
        }
        String logConfig = System.getProperty("java.util.logging.config.file");
        if (logConfig != null) {
            cmd.add("-Djava.util.logging.config.file=" + logConfig);
        }
        // Vert.x's class-path file cache goes in the test's directory: a child killed with -9 never removes it.
        cmd.add("-Dvertx.cacheDirBase=" + workDir.resolve("vertx-cache").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(mainClass.getName());
        cmd.addAll(Arrays.asList(args));
        try {
            Path err = workDir.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".stderr");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process process = pb.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return new ChildJvm(process, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a stdout line matching {@code match}; fails with the child's stderr tail if none comes. */
    public String awaitLine(Predicate<String> match, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))),
                    TimeUnit.NANOSECONDS);
            if (line != null) {
                seen.add(line);
                if (match.test(line)) {
                    return line;
                }
                continue;
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new AssertionError("child exited with " + process.exitValue()
                        + " before the expected line; stderr tail:\n" + stderrTail());
            }
            if (left <= 0) {
                throw new AssertionError("no expected line within " + timeout + " " + unit + "; stderr tail:\n"
                        + stderrTail());
            }
        }
    }

    /** Next stdout line, or null when none arrives in time. */
    public String pollLine(long timeout, TimeUnit unit) throws InterruptedException {
        String line = lines.poll(timeout, unit);
        if (line != null) {
            seen.add(line);
        }
        return line;
    }

    /** SIGKILL, and wait for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code, or fails if it does not exit in time. */
    public int terminate(long timeout, TimeUnit unit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout, unit)) {
            throw new AssertionError("child did not exit within " + timeout + " " + unit + " of SIGTERM");
        }
        return process.exitValue();
    }

    public int waitForExit(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new AssertionError("child did not exit within " + timeout + " " + unit);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stderrTail() {
        try {
            List<String> all = java.nio.file.Files.readAllLines(stderr, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    /** Everything the child wrote to stderr so far. */
    public String stderrText() {
        try {
            return java.nio.file.Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
