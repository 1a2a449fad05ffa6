package io.raftwatch.collector.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The demo directory and what is where in it:
 *
 * <pre>
 * demo.properties     the members' ports and process ids (lets a later run resume this cluster)
 * pki/                CA, member and client certificates (keys 0600)
 * m1.etcd/ ...        each member's data directory (WAL, snapshots, backend)
 * logs/m1.log ...     each member's output, appended to across restarts
 * raftwatch.yaml      the collector's config for this cluster
 * etcd.rules.yaml     the shipped alert rules, rendered for the collector's labels
 * manifests/          what `raftwatch manifests` renders for this cluster
 * collector/          the collector's own data (alert history)
 * </pre>
 *
 * <p>{@link #open} decides whether a directory can be used: a new or empty one starts a new
 * cluster on free ports; one that holds a previous demo resumes that cluster on its data and ports;
 * anything else is refused with a {@link DemoException} saying why. Used by {@link Demo} on the main
 * thread and by the chaos thread (process ids), so {@link #recordPid} is synchronized.
 */
public final class DemoDirectory {
  static final String STATE_FILE = "demo.properties";

  private final Path root;
  private final List<MemberPorts> members;
  private final boolean resumed;
  private final Properties state = new Properties();

  private DemoDirectory(Path root, Map<String, MemberPorts> members, boolean resumed, Properties previous) {
    this.root = root;
    this.members = List.copyOf(members.values());
    this.resumed = resumed;
    this.state.putAll(previous);
  }

  /** Finds a free port on 127.0.0.1; the default binds port 0 and lets it go. */
  @FunctionalInterface
  public interface PortAllocator {
    int freePort() throws IOException;

    PortAllocator LOOPBACK = () -> {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    };
  }

  /**
   * Opens {@code root} for a demo of {@code names}: a missing or empty directory gets new ports; a
   * directory with a previous run's {@value #STATE_FILE} is resumed with its ports, if none of its
   * members still runs and every port is free.
   *
   * @throws DemoException when the directory cannot be used, saying why and what to do
   */
  public static DemoDirectory open(Path root, List<String> names, PortAllocator ports)
      throws DemoException, IOException {
    Path stateFile = root.resolve(STATE_FILE);
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new DemoException(root + " is a file, not a directory; pass another --dir");
    }
    if (!Files.exists(stateFile)) {
      if (Files.isDirectory(root) && !isEmpty(root)) {
        throw new DemoException(root + " is not empty and holds no previous demo (no " + STATE_FILE
            + "); the demo writes data, logs and certificates there, so pass a new or empty --dir");
      }
      Files.createDirectories(root);
      Map<String, MemberPorts> members = new LinkedHashMap<>();
      Set<Integer> taken = new HashSet<>();
      for (String name : names) {
        members.put(name, new MemberPorts(name, distinct(ports, taken), distinct(ports, taken), distinct(ports, taken)));
      }
      DemoDirectory dir = new DemoDirectory(root, members, false, new Properties());
      dir.save();
      return dir;
    }
    Properties previous = new Properties();
    try (Reader in = Files.newBufferedReader(stateFile)) {
      previous.load(in);
    }
    Map<String, MemberPorts> members = new LinkedHashMap<>();
    for (String name : names) {
      members.put(name, new MemberPorts(name, port(previous, stateFile, name + ".client"),
          port(previous, stateFile, name + ".peer"), port(previous, stateFile, name + ".metrics")));
    }
    DemoDirectory dir = new DemoDirectory(root, members, true, previous);
    for (String name : names) {
      Optional<ProcessHandle> running = dir.previousProcess(name);
      if (running.isPresent()) {
        throw new DemoException("member " + name + " of a previous demo on " + root
            + " is still running (pid " + running.get().pid() + ", data dir " + dir.dataDir(name)
            + "); stop that demo first (Ctrl-C, or kill " + running.get().pid() + ")");
      }
    }
    for (MemberPorts m : members.values()) {
      checkFree(m.client(), m.name() + "'s client port", root);
      checkFree(m.peer(), m.name() + "'s peer port", root);
      checkFree(m.metrics(), m.name() + "'s metrics port", root);
    }
    return dir;
  }

  public Path root() {
    return root;
  }

  /** Whether this directory holds a previous run's cluster, now resumed. */
  public boolean resumed() {
    return resumed;
  }

  /** The members' ports, in the order of the names given to {@link #open}. */
  public List<MemberPorts> members() {
    return members;
  }

  public Path pki() {
    return root.resolve("pki");
  }

  public Path dataDir(String member) {
    return root.resolve(member + ".etcd");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path logFile(String member) {
    return logs().resolve(member + ".log");
  }

  public Path config() {
    return root.resolve("raftwatch.yaml");
  }

  public Path rules() {
    return root.resolve("etcd.rules.yaml");
  }

  public Path manifests() {
    return root.resolve("manifests");
  }

  public Path collectorData() {
    return root.resolve("collector");
  }

  /** Notes that {@code member} now runs as {@code pid}, so a later run can tell it is still alive. */
  public synchronized void recordPid(String member, long pid) throws IOException {
    state.setProperty(member + ".pid", Long.toString(pid));
    save();
  }

  private Optional<ProcessHandle> previousProcess(String member) {
    String pid = state.getProperty(member + ".pid");
    if (pid == null) {
      return Optional.empty();
    }
    String dataDir = dataDir(member).toAbsolutePath().toString();
    // NB: a pid can be reused by an unrelated process; only one whose arguments name this
    // member's data directory counts.
    return ProcessHandle.of(Long.parseLong(pid))
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(args -> Stream.of(args).anyMatch(a -> a.contains(dataDir)))
            .orElse(false));
  }

  private void save() throws IOException {
    for (MemberPorts m : members) {
      state.setProperty(m.name() + ".client", Integer.toString(m.client()));
      state.setProperty(m.name() + ".peer", Integer.toString(m.peer()));
      state.setProperty(m.name() + ".metrics", Integer.toString(m.metrics()));
    }
    Path tmp = root.resolve(STATE_FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      state.store(out, "raftwatch demo: the members' ports and process ids; a later "
          + "`raftwatch demo` on this directory resumes the cluster with them");
    }
    Files.move(tmp, root.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int distinct(PortAllocator ports, Set<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ports.freePort();
      if (taken.add(port)) {
        return port;
      }
    }
    throw new IOException("no free distinct port on 127.0.0.1 after 100 attempts");
  }

  private static int port(Properties p, Path file, String key) throws DemoException {
    String value = p.getProperty(key);
    try {
      int port = Integer.parseInt(value == null ? "" : value.trim());
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DemoException(file + ": " + key + " is " + (value == null ? "missing" : "'" + value + "', not a port")
        + "; the file is damaged: remove the directory or pass another --dir");
  }

  private static void checkFree(int port, String what, Path root) throws DemoException {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new DemoException("port " + port + " (" + what + " in the previous demo on " + root
          + ") is in use now; stop what uses it, or pass another --dir for a new cluster");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
