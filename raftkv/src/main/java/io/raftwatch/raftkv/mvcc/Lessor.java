package io.raftwatch.raftkv.mvcc;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Leases: time-bounded ownership of keys (etcd {@code lease.lessor}). Grants, revocations and key
 * attachments are applied from committed Raft entries on every member and persisted in the
 * backend's "lease" bucket. Expiry is tracked only while this member is primary (the leader):
 * {@link #promote} starts every lease's full TTL afresh from the leader's clock, as etcd does on a
 * leader change or restart, and {@link #expiredLeases} tells the server which revocations to
 * propose. Time always comes in as a parameter; the lessor reads no clock.
 *
 * <p>Apply thread only, like {@link KvStore}, which calls attach/detach on puts and deletes.
 */
public final class Lessor {
  /** etcd's MaxLeaseTTL: 9,000,000,000 seconds. */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;

  private static final class Entry {
    final long id;
    long ttl;
    // Null while not primary: a follower never expires leases.
    Instant expiry;
    final NavigableSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);

    Entry(long id, long ttl) {
      this.id = id;
      this.ttl = ttl;
    }
  }

  private final Backend backend;
  private final long minTtlSeconds;
  private final Map<Long, Entry> leases = new HashMap<>();
  // Which lease holds each attached key (etcd's itemMap), so that a put learns the key's old lease
  // without reading its previous version from the backend. Keys are wrapped whole and never
  // changed once stored.
  private final Map<ByteBuffer, Long> leaseOfKey = new HashMap<>();
  private boolean primary;

  /**
   * Loads persisted leases from backend. minTtlSeconds is the server's minimum (etcd: enough for an
   * election, about 1.5 election timeouts rounded up); shorter grants are raised to it.
   */
  public Lessor(Backend backend, long minTtlSeconds) {
    this.backend = backend;
    this.minTtlSeconds = minTtlSeconds;
    backend.range(
        Bucket.LEASE,
        new byte[0],
        null,
        (k, v) -> {
          long[] idTtl = KeyValueCodec.decodeLease(v);
          leases.put(idTtl[0], new Entry(idTtl[0], idTtl[1]));
          return true;
        });
  }

  /**
   * Grants lease id with ttl seconds; returns the TTL granted. Throws IllegalArgumentException with
   * etcd's lessor message ("lease already exists", "too large lease TTL") for id 0, an existing id,
   * or a TTL above {@link #MAX_TTL_SECONDS}.
   */
  public long grant(long id, long ttlSeconds, Instant now) {
    if (id == 0) {
      throw new IllegalArgumentException("lease id 0 is reserved for no lease");
    }
    if (leases.containsKey(id)) {
      throw new IllegalArgumentException("lease already exists");
    }
    if (ttlSeconds > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException("too large lease TTL");
    }
    Entry e = new Entry(id, Math.max(ttlSeconds, minTtlSeconds));
    if (primary) {
      e.expiry = now.plusSeconds(e.ttl);
    }
    leases.put(id, e);
    backend.put(Bucket.LEASE, idBytes(id), KeyValueCodec.encodeLease(id, e.ttl));
    return e.ttl;
  }

  /** Forgets the lease; {@link KvStore#revokeLease} deletes its keys first. */
  void revoke(long id) {
    if (leases.remove(id) == null) {
      throw new LeaseNotFoundException(id);
    }
    backend.delete(Bucket.LEASE, idBytes(id));
  }

  /** KeepAlive on the leader: restarts the full TTL from now; returns it. */
  public long renew(long id, Instant now) {
    Entry e = entry(id);
    if (!primary) {
      throw new IllegalStateException("not a primary lessor");
    }
    if (!e.expiry.isAfter(now)) {
      // etcd: an expired lease waits for its revocation; it cannot be renewed.
      throw new LeaseNotFoundException(id);
    }
    e.expiry = now.plusSeconds(e.ttl);
    return e.ttl;
  }

  /** Becomes primary (leader): every lease gets its full TTL from now. */
  public void promote(Instant now) {
    primary = true;
    for (Entry e : leases.values()) {
      e.expiry = now.plusSeconds(e.ttl);
    }
  }

  /** Stops tracking expiry (this member lost leadership). */
  public void demote() {
    primary = false;
    for (Entry e : leases.values()) {
      e.expiry = null;
    }
  }

  public boolean isPrimary() {
    return primary;
  }

  /** Ids of leases expired at now, oldest expiry first; empty unless primary. */
  public List<Long> expiredLeases(Instant now) {
    List<Entry> expired = new ArrayList<>();
    for (Entry e : leases.values()) {
      if (e.expiry != null && !e.expiry.isAfter(now)) {
        expired.add(e);
      }
    }
    expired.sort((a, b) -> a.expiry.compareTo(b.expiry));
    return expired.stream().map(e -> e.id).toList();
  }

  /** TimeToLive: remaining and granted TTL, and the keys when withKeys. */
  public Lease timeToLive(long id, boolean withKeys, Instant now) {
    Entry e = entry(id);
    return new Lease(e.id, e.ttl, remaining(e, now), withKeys ? List.copyOf(e.keys) : List.of());
  }

  private static long remaining(Entry e, Instant now) {
    if (e.expiry == null) {
      // etcd reports the full TTL when the lessor does not track expiry.
      return e.ttl;
    }
    long seconds = Duration.between(now, e.expiry).getSeconds();
    return e.expiry.isAfter(now) ? seconds : -1;
  }

  /** Every lease id, ascending. */
  public List<Long> leases() {
    return leases.keySet().stream().sorted().toList();
  }

  public boolean contains(long id) {
    return leases.containsKey(id);
  }

  List<byte[]> keysOf(long id) {
    return List.copyOf(entry(id).keys);
  }

  /** The lease the key is attached to, or 0 for none. */
  long leaseOf(byte[] key) {
    return leaseOfKey.getOrDefault(ByteBuffer.wrap(key), 0L);
  }

  void attach(long id, byte[] key) {
    entry(id).keys.add(key);
    leaseOfKey.put(ByteBuffer.wrap(key), id);
  }

  void detach(long id, byte[] key) {
    Entry e = leases.get(id);
    if (e != null) {
      e.keys.remove(key);
    }
    leaseOfKey.remove(ByteBuffer.wrap(key), id);
  }

  /** Restore: a key's newest version names this lease. A lease lost from the bucket is skipped. */
  void attachOnRestore(long id, byte[] key) {
    Entry e = leases.get(id);
    if (e != null) {
      e.keys.add(key);
      leaseOfKey.put(ByteBuffer.wrap(key), id);
    }
  }

  private Entry entry(long id) {
    Entry e = leases.get(id);
    if (e == null) {
      throw new LeaseNotFoundException(id);
    }
    return e;
  }

  private static byte[] idBytes(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }
}
