/**
 * The multi-version key-value store that raftkv members apply committed Raft entries to, modelled
 * on etcd's {@code server/storage/mvcc} and {@code server/lease}. Knows nothing of Raft, gRPC or
 * protobuf; the logic depends on the JDK alone and the disk sits behind {@link
 * io.raftwatch.raftkv.mvcc.Backend}.
 *
 * <h2>Model</h2>
 *
 * <ul>
 *   <li>A global revision, 1 in an empty store, advances by one per write transaction that changes
 *       something ({@link io.raftwatch.raftkv.mvcc.WriteTxn}); its changes take sub revisions 0, 1,
 *       2... Each key version records create_revision (start of its generation), mod_revision and
 *       version (1 on creation, +1 per put, reset by delete).
 *   <li>The backend's "key" bucket maps revision (main and sub, big-endian, {@code 't'} appended
 *       for a tombstone) to the version encoded as etcd's {@code mvccpb.KeyValue}. {@link
 *       io.raftwatch.raftkv.mvcc.TreeIndex} maps each key to its generations of revisions ({@link
 *       io.raftwatch.raftkv.mvcc.KeyIndex}) so that a range at any uncompacted revision finds the
 *       version then visible; it is rebuilt from the bucket on restart.
 *   <li>Range ends follow etcd: empty for one key, {@code "\0"} for every key from the start, else
 *       exclusive (a prefix's end is the prefix with its last byte incremented).
 *   <li>{@link io.raftwatch.raftkv.mvcc.KvStore#compact} drops all history before a revision but
 *       each key's version at it; older reads then fail with {@link
 *       io.raftwatch.raftkv.mvcc.CompactedException}, newer-than-current ones with {@link
 *       io.raftwatch.raftkv.mvcc.FutureRevisionException}.
 *   <li>The "meta" bucket holds consistent_index (the last applied Raft index, written in the same
 *       batch as the writes it applied) and the scheduled and finished compaction revisions; the
 *       "lease" bucket holds the leases ({@link io.raftwatch.raftkv.mvcc.Lessor}).
 *   <li>Writes are batched: the backend commits when the batch reaches its limit or when the
 *       server's timer calls {@link io.raftwatch.raftkv.mvcc.KvStore#commit()}; a commit is timed
 *       into {@code etcd_disk_backend_commit_duration_seconds}.
 *   <li>{@link io.raftwatch.raftkv.mvcc.WatchableStore} delivers each write's events to synced
 *       watchers through per-stream bounded queues, and replays history for unsynced ones.
 * </ul>
 *
 * <h2>Threads and time</h2>
 *
 * <p>Everything here is driven by the server's apply thread; only {@link
 * io.raftwatch.raftkv.mvcc.WatchStream#poll()} and {@code take()} are called from other threads. No
 * class here starts a thread or reads a clock: lease expiry takes the leader's time as a parameter,
 * and backend commit timing uses an injected nanosecond source.
 *
 * <h2>Differences from etcd</h2>
 *
 * <ul>
 *   <li>Compaction runs to completion in the call rather than in background batches.
 *   <li>A watcher whose queue is full is replayed from the backend (etcd keeps its pending events
 *       in memory as a "victim"), so if a compaction passes it meanwhile it gets a compacted
 *       response.
 *   <li>{@link io.raftwatch.raftkv.mvcc.KvStore#hash()} covers the key, lease and meta buckets
 *       only; {@code hashKv} hashes the same bytes as etcd.
 *   <li>A backend snapshot is raftkv's own portable format, not a bbolt file.
 * </ul>
 */
package io.raftwatch.raftkv.mvcc;
