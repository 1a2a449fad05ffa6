package io.raftwatch.collector.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a demo member is started: {@code java -jar raftkv.jar} with etcd's flags, every listener
 * https with mutual TLS on 127.0.0.1. The member runs in its own session ({@code setsid}, when the
 * system has it) so that Ctrl-C in the terminal reaches only the demo, which then stops the
 * collector first and the members after it. Immutable; used on the main thread.
 */
public record RaftkvLauncher(Path java, Path jar, List<String> extraFlags) {
  /** The system property {@code bin/raftwatch} sets to the raftkv jar it built. */
  public static final String JAR_PROPERTY = "raftwatch.raftkv.jar";
  /** The environment variable that names the raftkv jar when the property is not set. */
  public static final String JAR_ENV = "RAFTWATCH_RAFTKV_JAR";
  /**
   * Three members and the collector share one machine: small heaps, the serial collector, and only
   * the quick JIT tier, which halves a member's CPU time to start and costs a demo nothing.
   */
  static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m",
      "-XX:TieredStopAtLevel=1");
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /** etcd's {@code --initial-cluster-token}: the member and cluster IDs are derived from it. */
  static final String CLUSTER_TOKEN = "raftwatch-demo";

  public RaftkvLauncher {
    extraFlags = List.copyOf(extraFlags);
  }

  /**
   * The raftkv jar: {@code explicit} (the {@code --raftkv-jar} option), else the {@value
   * #JAR_PROPERTY} property, else {@value #JAR_ENV}.
   *
   * @throws DemoException when none is given or the file is missing, saying how to build it
   */
  public static Path findJar(Optional<Path> explicit, Map<String, String> env) throws DemoException {
    Optional<Path> jar = explicit
        .or(() -> Optional.ofNullable(System.getProperty(JAR_PROPERTY)).map(Path::of))
        .or(() -> Optional.ofNullable(env.get(JAR_ENV)).map(Path::of));
    if (jar.isEmpty()) {
      throw new DemoException("no raftkv jar: bin/raftwatch demo builds raftkv/target/raftkv.jar and "
          + "passes it on; run the demo through bin/raftwatch, or pass --raftkv-jar FILE");
    }
    if (!Files.isRegularFile(jar.get())) {
      throw new DemoException("raftkv jar " + jar.get() + " does not exist; build it with "
          + "`mvn -B -pl raftkv -am package -DskipTests` (bin/raftwatch demo does this for you)");
    }
    return jar.get();
  }

  /** The java of the running JVM. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The command line that runs {@code member} of {@code cluster} with its files in {@code dir}. */
  public List<String> command(MemberPorts member, List<MemberPorts> cluster, DemoDirectory dir, DemoPki pki) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.add(java.toString());
    cmd.addAll(JVM_FLAGS);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(flags(member, cluster, dir, pki));
    return cmd;
  }

  /** etcd's flags for {@code member}, as one would give them to etcd 3.4. */
  List<String> flags(MemberPorts member, List<MemberPorts> cluster, DemoDirectory dir, DemoPki pki) {
    String initialCluster = cluster.stream().map(m -> m.name() + "=" + m.peerUrl())
        .collect(Collectors.joining(","));
    DemoPki.CertificateFiles cert = pki.members().get(member.name());
    String ca = pki.caCert().toAbsolutePath().toString();
    List<String> flags = new ArrayList<>(List.of(
        "--name=" + member.name(),
        "--data-dir=" + dir.dataDir(member.name()).toAbsolutePath(),
        "--listen-client-urls=" + member.clientUrl(),
        "--advertise-client-urls=" + member.clientUrl(),
        "--listen-peer-urls=" + member.peerUrl(),
        "--initial-advertise-peer-urls=" + member.peerUrl(),
        "--initial-cluster=" + initialCluster,
        "--initial-cluster-token=" + CLUSTER_TOKEN,
        "--initial-cluster-state=new",
        "--listen-metrics-urls=" + member.metricsUrl(),
        "--cert-file=" + cert.cert().toAbsolutePath(),
        "--key-file=" + cert.key().toAbsolutePath(),
        "--trusted-ca-file=" + ca,
        "--client-cert-auth",
        "--peer-cert-file=" + cert.cert().toAbsolutePath(),
        "--peer-key-file=" + cert.key().toAbsolutePath(),
        "--peer-trusted-ca-file=" + ca,
        "--peer-client-cert-auth"));
    flags.addAll(extraFlags);
    return flags;
  }
}
