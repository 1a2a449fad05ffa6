package io.raftwatch.raftkv.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.raftkv.mvcc.MemoryBackend;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.raft.ConfChangeType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The membership follows applied configuration changes and published attributes, and survives a
 * reload from its backend and a backend snapshot (how a restarted or snapshot-fed member learns
 * it).
 */
class MemberSetTest {
  private final MemoryBackend backend = new MemoryBackend(new MvccMetrics(new CollectorRegistry()));
  private final MemberSet members = new MemberSet(backend);

  @Test
  void changesApplyAsEtcdDescribesThem() {
    members.apply(ConfChangeType.ADD_NODE, 1, member(1, "a", "https://a:2380"));
    members.apply(ConfChangeType.ADD_LEARNER_NODE, 2, member(2, "", "https://b:2380"));
    assertThat(members.member(2).orElseThrow().learner()).isTrue();
    assertThat(members.member(2).orElseThrow().started()).isFalse();

    members.publish(2, "b", List.of("https://b:2379"));
    members.apply(ConfChangeType.ADD_NODE, 2, Member.ofId(2));
    Member promoted = members.member(2).orElseThrow();
    assertThat(promoted.learner()).isFalse();
    assertThat(promoted.name()).isEqualTo("b");
    assertThat(promoted.clientUrls()).containsExactly("https://b:2379");

    members.apply(ConfChangeType.UPDATE_NODE, 1,
        Member.ofId(1).withPeerUrls(List.of("https://a2:2380")));
    assertThat(members.member(1).orElseThrow().peerUrls()).containsExactly("https://a2:2380");
    assertThat(members.member(1).orElseThrow().name()).isEqualTo("a");

    members.apply(ConfChangeType.REMOVE_NODE, 1, Member.ofId(1));
    assertThat(members.member(1)).isEmpty();
    assertThat(members.isRemoved(1)).isTrue();
    members.publish(1, "late", List.of("https://a:2379"));
    assertThat(members.member(1)).as("a removed member's attributes are ignored").isEmpty();
  }

  @Test
  void membershipIsReadBackFromTheBackendAndItsSnapshot() throws Exception {
    members.apply(ConfChangeType.ADD_NODE, 1, member(1, "a", "https://a:2380"));
    members.apply(ConfChangeType.ADD_LEARNER_NODE, 2, member(2, "", "https://b:2380"));
    members.apply(ConfChangeType.ADD_NODE, 3, member(3, "c", "https://c:2380"));
    members.apply(ConfChangeType.REMOVE_NODE, 3, Member.ofId(3));

    assertThat(new MemberSet(backend).members()).isEqualTo(members.members());
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    backend.snapshot(snapshot);
    MemoryBackend other = new MemoryBackend(new MvccMetrics(new CollectorRegistry()));
    other.restore(new ByteArrayInputStream(snapshot.toByteArray()));
    MemberSet restored = new MemberSet(other);
    assertThat(restored.members()).isEqualTo(members.members()).hasSize(2);
    assertThat(restored.isRemoved(3)).isTrue();
  }

  static Member member(long id, String name, String peerUrl) {
    return new Member(id, name, List.of(peerUrl), List.of(), false);
  }
}
