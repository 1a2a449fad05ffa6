package io.raftwatch.raftkv.membership;

import io.raftwatch.raftkv.mvcc.Backend;
import io.raftwatch.raftkv.mvcc.Bucket;
import io.raftwatch.raftkv.raft.ConfChangeType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership as of the last applied entry (etcd's {@code RaftCluster}): members by id and the
 * ids removed for good, kept in the backend's {@link Bucket#MEMBERS} and {@link
 * Bucket#MEMBERS_REMOVED} buckets in the same batch as the entry's consistent index. Applying is
 * deterministic and checks nothing, so every member reaches the same set; requests are checked
 * before they are proposed ({@link MembershipChecks}). Raft loop thread only.
 */
public final class MemberSet {
  private static final byte[] REMOVED = "removed".getBytes(StandardCharsets.UTF_8);

  private final Backend backend;
  private final SortedMap<Long, Member> members = new TreeMap<>(Long::compareUnsigned);
  private final Set<Long> removed = new TreeSet<>(Long::compareUnsigned);

  /** The membership the backend holds. */
  public MemberSet(Backend backend) {
    this.backend = backend;
    backend.range(Bucket.MEMBERS, new byte[0], null, (k, v) -> {
      Member m = Member.decode(v);
      members.put(m.id(), m);
      return true;
    });
    backend.range(Bucket.MEMBERS_REMOVED, new byte[0], null, (k, v) -> {
      removed.add(ByteBuffer.wrap(k).getLong());
      return true;
    });
  }

  /** The members, by id (unsigned order). */
  public List<Member> members() {
    return Collections.unmodifiableList(new ArrayList<>(members.values()));
  }

  public Optional<Member> member(long id) {
    return Optional.ofNullable(members.get(id));
  }

  /** The ids removed from the cluster. */
  public Set<Long> removed() {
    return Collections.unmodifiableSet(new TreeSet<>(removed));
  }

  /** Whether id was removed from the cluster; a removed id never comes back. */
  public boolean isRemoved(long id) {
    return removed.contains(id);
  }

  /**
   * Records a committed configuration change: {@code member} carries what the proposer attached
   * (the new member, the new peer URLs, or only the id). A change concerning a removed or unknown
   * id changes nothing where it cannot apply (etcd: the change was checked before proposing).
   */
  public void apply(ConfChangeType type, long id, Member member) {
    switch (type) {
      case ADD_NODE -> {
        Member known = members.get(id);
        save(known != null ? known.asVoter() : member.asVoter());
      }
      case ADD_LEARNER_NODE -> {
        if (!members.containsKey(id)) {
          save(new Member(id, member.name(), member.peerUrls(), member.clientUrls(), true));
        }
      }
      case REMOVE_NODE -> {
        members.remove(id);
        removed.add(id);
        backend.delete(Bucket.MEMBERS, key(id));
        backend.put(Bucket.MEMBERS_REMOVED, key(id), REMOVED);
      }
      case UPDATE_NODE -> {
        Member known = members.get(id);
        if (known != null) {
          save(known.withPeerUrls(member.peerUrls()));
        }
      }
    }
  }

  /**
   * Records the name and client URLs a running member published (etcd's attributes update); a
   * removed or unknown member's are ignored.
   */
  public void publish(long id, String name, List<String> clientUrls) {
    Member known = members.get(id);
    if (known != null) {
      save(known.withAttributes(name, clientUrls));
    }
  }

  private void save(Member m) {
    members.put(m.id(), m);
    backend.put(Bucket.MEMBERS, key(m.id()), m.encode());
  }

  private static byte[] key(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }
}
