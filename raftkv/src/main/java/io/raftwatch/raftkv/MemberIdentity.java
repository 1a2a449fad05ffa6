package io.raftwatch.raftkv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.raftwatch.raftkv.config.ConfigException;
import io.raftwatch.raftkv.config.EtcdConfig;
import io.raftwatch.raftkv.transport.RemoteMembers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who a starting member is: its id, its cluster's id, and the peers to dial first. A founding member
 * ({@code --initial-cluster-state new}) derives them from {@code --initial-cluster} and the token;
 * a joining one ({@code existing}) asks the running members at the other initial-cluster peer URLs
 * for the member list and finds itself by its advertised peer URLs, as etcd does, because MemberAdd
 * gave it an id from the time of the request. Kept in {@code member/raftkv-identity} after the
 * first start so a restart needs nobody. Built once by the main thread.
 *
 * @param peers the other members by id, each at its first peer URL
 */
record MemberIdentity(long memberId, long clusterId, Map<Long, URI> peers) {
  private static final String FILE = "raftkv-identity";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  static MemberIdentity resolve(EtcdConfig cfg, Path memberDir, SslContext peerTls)
      throws IOException, ConfigException {
    Path file = memberDir.resolve(FILE);
    if (Files.exists(file)) {
      String[] ids = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
      return new MemberIdentity(Long.parseUnsignedLong(ids[0], 16),
          Long.parseUnsignedLong(ids[1], 16), cfg.initialPeers());
    }
    MemberIdentity found = cfg.initialClusterState() == EtcdConfig.ClusterState.NEW
        ? new MemberIdentity(cfg.memberId(), cfg.initialCluster().clusterId(cfg.initialClusterToken()),
            cfg.initialPeers())
        : askRunningMembers(cfg, peerTls);
    Files.writeString(file, Long.toHexString(found.memberId()) + " "
        + Long.toHexString(found.clusterId()) + "\n", StandardCharsets.UTF_8);
    return found;
  }

  private static MemberIdentity askRunningMembers(EtcdConfig cfg, SslContext peerTls)
      throws ConfigException {
    Set<String> own = new HashSet<>(cfg.initialAdvertisePeerUrls().stream().map(URI::toString).toList());
    StringBuilder failures = new StringBuilder();
    for (Map.Entry<String, List<URI>> m : cfg.initialCluster().members().entrySet()) {
      if (m.getKey().equals(cfg.name())) {
        continue;
      }
      for (URI url : m.getValue()) {
        MemberListResponse list;
        try {
          list = MemberListResponse.parseFrom(RemoteMembers.fetch(url, peerTls, ASK_TIMEOUT));
        } catch (StatusRuntimeException | InvalidProtocolBufferException e) {
          failures.append("; ").append(url).append(": ").append(e.getMessage());
          continue;
        }
        Map<Long, URI> peers = new LinkedHashMap<>();
        Long self = null;
        for (Member member : list.getMembersList()) {
          if (new HashSet<>(member.getPeerURLsList()).equals(own)) {
            self = member.getID();
          } else if (member.getPeerURLsCount() > 0) {
            peers.put(member.getID(), URI.create(member.getPeerURLs(0)));
          }
        }
        if (self == null) {
          throw new ConfigException("--initial-cluster-state existing: the cluster at " + url
              + " has no member with peer URLs " + own + "; add it first (etcdctl member add "
              + cfg.name() + " --peer-urls=" + String.join(",", own) + ")");
        }
        return new MemberIdentity(self, list.getHeader().getClusterId(), peers);
      }
    }
    throw new ConfigException("--initial-cluster-state existing: no running member answered at "
        + "the other --initial-cluster peer URLs" + failures);
  }
}
