package io.raftwatch.raftkv.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.raftwatch.raftkv.membership.Member;
import io.raftwatch.raftkv.membership.MemberSet;
import io.raftwatch.raftkv.mvcc.Backend;
import io.raftwatch.raftkv.mvcc.BoltFile;
import io.raftwatch.raftkv.mvcc.HashResult;
import io.raftwatch.raftkv.mvcc.KvStore;
import io.raftwatch.raftkv.mvcc.Lease;
import io.raftwatch.raftkv.mvcc.LeaseNotFoundException;
import io.raftwatch.raftkv.mvcc.Lessor;
import io.raftwatch.raftkv.mvcc.MvccMetrics;
import io.raftwatch.raftkv.mvcc.WatchStream;
import io.raftwatch.raftkv.mvcc.WatchableStore;
import io.raftwatch.raftkv.mvcc.WriteTxn;
import io.raftwatch.raftkv.raft.ConfChangeType;
import io.raftwatch.raftkv.raft.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd apply layer: the {@link StateMachine} that applies {@link ProposedRequest}s to the MVCC
 * store, the same way on every member, and records each entry's index as the store's consistent
 * index (entries at or below it were applied before a restart and are skipped). The member that
 * proposed a request finds its response, or its error, through {@link #expect}.
 *
 * <p>Threads: {@link #apply}, {@link #snapshot}, {@link #restore} and the read methods run on the
 * raft loop thread (reads through {@link RaftLoop#onLoop}); {@link #expect} and {@link #forget}
 * from any thread.
 */
public final class KvApplier implements StateMachine {
  private static final Logger log = LoggerFactory.getLogger(KvApplier.class);

  /** What every response header says about the member: its cluster, id and the Raft term. */
  public record Identity(long clusterId, long memberId, LongSupplier raftTerm) {}

  private final Backend backend;
  private final MvccMetrics metrics;
  private final long minLeaseTtlSeconds;
  private final Clock clock;
  private final SlowApplies slowApplies;
  private final Identity identity;
  private final Map<Long, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();
  private Lessor lessor;
  private KvStore store;
  private WatchableStore watchable;
  private MemberSet members;
  private Consumer<MemberSet> membershipListener = m -> { };
  private Alarms alarms;
  // The backend's size as of its last commit, for the quota check on gRPC threads.
  private volatile long backendSize;

  public KvApplier(
      Backend backend,
      MvccMetrics metrics,
      long minLeaseTtlSeconds,
      Clock clock,
      Identity identity,
      SlowApplies slowApplies) {
    this.backend = backend;
    this.slowApplies = slowApplies;
    this.metrics = metrics;
    this.minLeaseTtlSeconds = minLeaseTtlSeconds;
    this.clock = clock;
    this.identity = identity;
    open();
  }

  private void open() {
    lessor = new Lessor(backend, minLeaseTtlSeconds);
    store = new KvStore(backend, lessor, metrics);
    watchable = new WatchableStore(store, metrics);
    alarms = new Alarms(backend);
    backendSize = backend.size();
    members = new MemberSet(backend);
    membershipListener.accept(members);
  }

  /**
   * Calls {@code listener} with the membership now and after every change: each applied
   * configuration change or published attributes, and each snapshot restored (loop thread, or the
   * caller's before the loop starts).
   */
  public void onMembershipChange(Consumer<MemberSet> listener) {
    membershipListener = listener;
    listener.accept(members);
  }

  /** The membership as of the last applied entry (loop thread). */
  public MemberSet members() {
    return members;
  }

  @Override
  public void applyConfChange(long index, ConfChangeType type, long nodeId, byte[] member) {
    if (index <= store.consistentIndex()) {
      return;
    }
    Member m;
    try {
      m = member.length == 0 ? Member.ofId(nodeId) : Member.decode(member);
    } catch (IllegalArgumentException e) {
      log.warn("conf change at {} carries no readable member: {}", index, e.getMessage());
      m = Member.ofId(nodeId);
    }
    members.apply(type, nodeId, m);
    store.setConsistentIndex(index);
    membershipListener.accept(members);
  }

  /** The future the response to request id completes; register before proposing it. */
  public CompletableFuture<Message> expect(long id) {
    CompletableFuture<Message> done = new CompletableFuture<>();
    waiting.put(id, done);
    return done;
  }

  /** Fails and forgets request id, whose proposal never reached the log. */
  public void forget(long id, Throwable why) {
    CompletableFuture<Message> done = waiting.remove(id);
    if (done != null) {
      done.completeExceptionally(why);
    }
  }

  @Override
  public void apply(long index, ByteBuffer command) {
    if (index <= store.consistentIndex()) {
      return;
    }
    ProposedRequest proposed;
    try {
      proposed = ProposedRequest.decode(command);
    } catch (IllegalArgumentException e) {
      // Every member skips the same bad entry; nothing waits for what could not be decoded.
      log.warn("skipping entry {}: {}", index, e.getMessage());
      store.setConsistentIndex(index);
      return;
    }
    Message response = null;
    RuntimeException error = null;
    long start = slowApplies.start();
    try {
      response = execute(proposed.request());
    } catch (RuntimeException e) {
      error = e;
    }
    slowApplies.finished(start, proposed.request());
    store.setConsistentIndex(index);
    CompletableFuture<Message> done = waiting.remove(proposed.id());
    if (done != null) {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(response);
      }
    }
  }

  private Message execute(Message request) {
    // etcd's capped applier: while a NOSPACE alarm is raised, nothing that adds data applies.
    if (Quota.cost(request) > 0 && alarms.isRaised(AlarmType.NOSPACE)) {
      throw new NoSpaceException();
    }
    if (request instanceof PutRequest r) {
      PutResponse.Builder resp;
      try (WriteTxn txn = store.write()) {
        resp = new TxnRunner(txn, lessor).put(r);
      }
      // The header names the revision after the write, so it is made once the txn ended.
      return resp.setHeader(header()).build();
    } else if (request instanceof DeleteRangeRequest r) {
      DeleteRangeResponse.Builder resp;
      try (WriteTxn txn = store.write()) {
        resp = new TxnRunner(txn, lessor).delete(r);
      }
      return resp.setHeader(header()).build();
    } else if (request instanceof TxnRequest r) {
      TxnResponse.Builder resp;
      try (WriteTxn txn = store.write()) {
        resp = new TxnRunner(txn, lessor).txn(r);
      }
      return resp.setHeader(header()).build();
    } else if (request instanceof CompactionRequest r) {
      store.compact(r.getRevision());
      return CompactionResponse.newBuilder().setHeader(header()).build();
    } else if (request instanceof LeaseGrantRequest r) {
      long ttl = lessor.grant(r.getID(), r.getTTL(), clock.instant());
      return LeaseGrantResponse.newBuilder()
          .setHeader(header())
          .setID(r.getID())
          .setTTL(ttl)
          .build();
    } else if (request instanceof LeaseRevokeRequest r) {
      store.revokeLease(r.getID());
      return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
    } else if (request instanceof AlarmRequest r) {
      return alarm(r);
    } else if (request instanceof io.etcd.jetcd.api.Member r) {
      members.publish(r.getID(), r.getName(), r.getClientURLsList());
      membershipListener.accept(members);
      return r;
    }
    throw new IllegalArgumentException("cannot apply " + request.getClass().getSimpleName());
  }

  private AlarmResponse alarm(AlarmRequest r) {
    AlarmResponse.Builder resp = AlarmResponse.newBuilder().setHeader(header());
    AlarmMember changed = switch (r.getAction()) {
      case ACTIVATE -> alarms.activate(r.getMemberID(), r.getAlarm());
      case DEACTIVATE -> alarms.deactivate(r.getMemberID(), r.getAlarm());
      default -> null;
    };
    if (changed != null) {
      log.warn("alarm {} {} for member {}", changed.getAlarm(),
          r.getAction() == AlarmRequest.AlarmAction.ACTIVATE ? "raised" : "cleared",
          Long.toHexString(changed.getMemberID()));
      resp.addAlarms(changed);
    }
    return resp.build();
  }

  /** The raised alarms of request's type, all for NONE: etcd's alarm GET (loop thread). */
  public AlarmResponse alarms(AlarmRequest r) {
    return AlarmResponse.newBuilder().setHeader(header()).addAllAlarms(alarms.list(r.getAlarm()))
        .build();
  }

  /** Commits the backend's pending batch; the member's timer calls it (loop thread). */
  public void commit() {
    backend.commit();
    backendSize = backend.size();
  }

  /** The backend's size in bytes as of its last commit (any thread), for the {@link Quota}. */
  public long backendSize() {
    return backendSize;
  }

  /** The store's current revision (loop thread). */
  public long currentRevision() {
    return store.currentRevision();
  }

  /** A range read at the store's state now (loop thread). */
  public RangeResponse range(RangeRequest r) {
    return RangeReader.read(store::range, r).setHeader(header()).build();
  }

  /**
   * A lease's granted and remaining TTL, with its keys if asked; TTL -1 for an unknown lease, as
   * etcd answers (loop thread).
   */
  public LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest r) {
    if (!lessor.contains(r.getID())) {
      return LeaseTimeToLiveResponse.newBuilder()
          .setHeader(header())
          .setID(r.getID())
          .setTTL(-1)
          .build();
    }
    Lease lease = lessor.timeToLive(r.getID(), r.getKeys(), clock.instant());
    LeaseTimeToLiveResponse.Builder resp =
        LeaseTimeToLiveResponse.newBuilder()
            .setHeader(header())
            .setID(lease.id())
            .setTTL(lease.remainingTtl())
            .setGrantedTTL(lease.grantedTtl());
    lease.keys().forEach(k -> resp.addKeys(ByteString.copyFrom(k)));
    return resp.build();
  }

  /**
   * Keeps the lessor's role in step with this member's (only a leader tracks expiry) and returns
   * the leases expired now, which the leader then revokes through Raft (loop thread).
   */
  public List<Long> expiredLeases(boolean leader) {
    if (leader && !lessor.isPrimary()) {
      lessor.promote(clock.instant());
    } else if (!leader && lessor.isPrimary()) {
      lessor.demote();
    }
    return leader ? lessor.expiredLeases(clock.instant()) : List.of();
  }

  /**
   * KeepAlive on the leader: restarts the lease's TTL and returns it, 0 for an unknown or expired
   * lease as etcd answers; {@link NotLeaderException} on a member that does not track expiry (loop
   * thread).
   */
  public LeaseKeepAliveResponse keepAlive(long id) {
    if (!lessor.isPrimary()) {
      throw new NotLeaderException();
    }
    long ttl;
    try {
      ttl = lessor.renew(id, clock.instant());
    } catch (LeaseNotFoundException e) {
      ttl = 0;
    }
    return LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build();
  }

  /**
   * A new watch stream over the store (loop thread). NB: a snapshot restore replaces the store;
   * streams opened before it see no later events.
   */
  public WatchStream openWatchStream() {
    return watchable.newStream(WatchStream.DEFAULT_CAPACITY);
  }

  /** Replays history to watchers that are behind; the member's timer calls it (loop thread). */
  public int syncWatchers() {
    return watchable.syncWatchers();
  }

  /**
   * A header naming revision, for responses made off the loop thread (watch events); any thread.
   */
  public ResponseHeader headerAt(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(identity.clusterId())
        .setMemberId(identity.memberId())
        .setRevision(revision)
        .setRaftTerm(identity.raftTerm().getAsLong())
        .build();
  }

  /**
   * The header of a response made now: cluster, member, current revision, Raft term (loop thread).
   */
  public ResponseHeader header() {
    return headerAt(store.currentRevision());
  }

  /**
   * etcd's HashKV: the hash of the key history kept at revision (0: current), equal on members that
   * applied the same log; CompactedException / FutureRevisionException (loop thread).
   */
  public HashKVResponse hashKv(long revision) {
    HashResult h = store.hashKv(revision);
    return HashKVResponse.newBuilder()
        .setHeader(headerAt(h.revision()))
        .setHash(h.hash())
        .setCompactRevision(h.compactRevision())
        .build();
  }

  /**
   * The Maintenance Hash: raftkv's own CRC32C of every backend bucket but the consistent index
   * ({@link KvStore#hash()}), equal on members that applied the same log; not comparable with
   * etcd's (loop thread).
   */
  public HashResponse hash() {
    HashResult h = store.hash();
    return HashResponse.newBuilder().setHeader(headerAt(h.revision())).setHash(h.hash()).build();
  }

  /** Rewrites the backend without free space (loop thread). */
  public void defragment() {
    backend.defragment();
    backendSize = backend.size();
  }

  /** Bytes the backend occupies (loop thread). */
  public long dbSize() {
    return backend.size();
  }

  /** Bytes of the backend in use (loop thread). */
  public long dbSizeInUse() {
    return backend.sizeInUse();
  }

  @Override
  public byte[] snapshot() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      backend.snapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The backend as a bbolt file, as etcd's Snapshot RPC streams its database (loop thread). */
  public byte[] boltFile() {
    return BoltFile.write(backend);
  }

  @Override
  public void restore(Snapshot snapshot) {
    try {
      backend.restore(new ByteArrayInputStream(snapshot.data()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "snapshot at " + snapshot.metadata().index() + " cannot be restored", e);
    }
    open();
  }
}
