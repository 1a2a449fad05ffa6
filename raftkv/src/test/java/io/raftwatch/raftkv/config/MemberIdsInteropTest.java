package io.raftwatch.raftkv.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftwatch.raftkv.process.LoopbackEtcd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member and cluster ids against the ones real etcd 3.4 (Debian's {@code etcd}) derives from the
 * same flags. Skips when etcd is missing, fails when CI=true.
 */
class MemberIdsInteropTest {
  @TempDir Path dir;

  @Test
  void idsMatchWhatRealEtcdPrints() throws Exception {
    LoopbackEtcd.requireInstalled();
    LoopbackEtcd etcd = new LoopbackEtcd("idcheck");
    Path data = dir.resolve("idcheck.etcd");
    String[] token = {"--initial-cluster-token", "raftwatch-id-test"};
    try (LoopbackEtcd running = etcd.start(data, token)) {
      JsonNode json = new ObjectMapper().readTree(running.etcdctl("member", "list", "-w", "json"));
      long realMember = Long.parseUnsignedLong(json.get("members").get(0).get("ID").asText());
      long realCluster = Long.parseUnsignedLong(json.get("header").get("cluster_id").asText());

      EtcdConfig ours = EtcdConfig.parse(etcd.flags(data, token).toArray(String[]::new), Map.of());
      assertThat(Long.toHexString(ours.memberId())).isEqualTo(Long.toHexString(realMember));
      assertThat(Long.toHexString(ours.initialCluster().clusterId(ours.initialClusterToken())))
          .isEqualTo(Long.toHexString(realCluster));
    }
  }

  @Test
  void multiUrlMemberIdIsOrderIndependent() {
    long a = MemberIds.member(List.of("http://10.0.0.1:2380", "http://10.0.0.2:2380"), "t");
    long b = MemberIds.member(List.of("http://10.0.0.2:2380", "http://10.0.0.1:2380"), "t");
    assertThat(a).isEqualTo(b);
    assertThat(MemberIds.member(List.of("http://10.0.0.1:2380"), "t")).isNotEqualTo(a);
  }
}
