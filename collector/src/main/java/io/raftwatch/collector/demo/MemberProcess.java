package io.raftwatch.collector.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One raftkv member run as a separate process from the raftkv jar, so that it can be killed with
 * SIGKILL and started again on its data directory, as an etcd member would be. Its output is
 * appended to its log file, each start preceded by a line saying when and how it was started.
 *
 * <p>Called by {@link DemoCluster} from the main thread and the chaos thread; the methods are
 * synchronized so that a kill and a stop never race over the same process.
 */
public final class MemberProcess {
  private final String name;
  private final List<String> command;
  private final Path logFile;
  private Process process;
  private long logOffset; // where the current run's output starts in the log file

  /**
   * @param command the whole command line: launcher, JVM flags, jar and etcd flags; none of them
   *     is secret (key files are named, never read here)
   */
  public MemberProcess(String name, List<String> command, Path logFile) {
    this.name = name;
    this.command = List.copyOf(command);
    this.logFile = logFile;
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the process; a running one is left alone. */
  public synchronized void start(Instant now) throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Files.createDirectories(logFile.getParent());
    logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
    Files.writeString(logFile, "--- raftwatch demo: " + name + " started at " + now + ": "
        + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(logFile.toFile()))
        .redirectInput(Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  /** The running process's id, or empty when it is not running. */
  public synchronized Optional<Long> pid() {
    return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit status of a process that has ended, or empty while it runs (or never ran). */
  public synchronized Optional<Integer> exitStatus() {
    return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** SIGKILL, as a crash or an OOM kill would end it; waits until it is gone. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * SIGTERM, so the member closes its WAL and listeners; SIGKILL if it has not ended after {@code
   * grace}. Returns whether it ended on its own.
   */
  public synchronized boolean stop(Duration grace) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return true;
    }
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    process.destroyForcibly().waitFor();
    return false;
  }

  /** The last {@code lines} lines this run wrote to its log. */
  public synchronized List<String> logTail(int lines) throws IOException {
    List<String> all = currentRunOutput();
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  /**
   * What raftkv said when it refused to start: its lines that begin with {@code raftkv:} (an
   * unknown or bad flag, an unusable certificate, a port in use), as etcd prints them.
   */
  public synchronized List<String> complaints() throws IOException {
    return currentRunOutput().stream().filter(l -> l.startsWith("raftkv: ")).toList();
  }

  private List<String> currentRunOutput() throws IOException {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = f.length();
      // Only the last 64 KiB matter for a tail, and a long-running member's log can be large.
      long from = Math.max(logOffset, length - 65536);
      byte[] bytes = new byte[(int) (length - from)];
      f.seek(from);
      f.readFully(bytes);
      List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n")));
      lines.removeIf(l -> l.startsWith("--- raftwatch demo: ") || l.isBlank());
      return lines;
    }
  }
}
