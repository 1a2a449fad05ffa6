package io.raftwatch.raftkv.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A member's validated configuration, with etcd 3.4's names and defaults. Built once at startup by
 * {@link #parse} on the main thread; immutable.
 *
 * @param heartbeatMillis {@code --heartbeat-interval}
 * @param electionMillis {@code --election-timeout}
 * @param autoCompactionRetention as given ("1h", "72" hours for periodic; a revision count for
 *     revision mode), already checked for that mode; "0" disables auto-compaction
 */
public record EtcdConfig(
    String name,
    Path dataDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    InitialCluster initialCluster,
    ClusterState initialClusterState,
    String initialClusterToken,
    TlsFiles clientTls,
    TlsFiles peerTls,
    List<URI> listenMetricsUrls,
    String metrics,
    int heartbeatMillis,
    int electionMillis,
    long snapshotCount,
    long quotaBackendBytes,
    String autoCompactionMode,
    String autoCompactionRetention,
    long maxRequestBytes,
    String logLevel,
    String logger,
    boolean preVote) {

  /** {@code --initial-cluster-state}. */
  public enum ClusterState {
    NEW,
    EXISTING
  }

  /**
   * Reads flags, {@code ETCD_*} variables and {@code --config-file} as etcd does, applies defaults
   * and validates.
   *
   * @throws ConfigException naming the flag, variable or key at fault
   */
  public static EtcdConfig parse(String[] args, Map<String, String> env) throws ConfigException {
    return new ConfigReader(RawSettings.read(args, env)).read();
  }

  /** The etcd flags raftkv understands (without the leading dashes), sorted. */
  public static List<String> supportedFlags() {
    return RawSettings.NAMES.stream().sorted().toList();
  }

  /** This member's id, derived from its initial-cluster URLs and the cluster token. */
  public long memberId() {
    return initialCluster.memberIds(initialClusterToken).get(name);
  }

  /** The other initial members by id, each at its first peer URL: what the peer transport dials. */
  public Map<Long, URI> initialPeers() {
    Map<Long, URI> peers = new java.util.LinkedHashMap<>();
    Map<String, Long> ids = initialCluster.memberIds(initialClusterToken);
    initialCluster
        .members()
        .forEach(
            (member, urls) -> {
              if (!member.equals(name)) {
                peers.put(ids.get(member), urls.get(0));
              }
            });
    return peers;
  }
}
