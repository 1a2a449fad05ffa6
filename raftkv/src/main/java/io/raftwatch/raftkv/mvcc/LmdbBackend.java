package io.raftwatch.raftkv.mvcc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * The on-disk {@link Backend}: an LMDB environment (a copy-on-write B+tree like etcd's bbolt) in a
 * directory, one named database per {@link Bucket}. The pending batch is one open LMDB write
 * transaction; {@link #commit()} commits it, which fsyncs, so a crash loses at most the pending
 * batch and never splits it. Reads go through the open write transaction when there is one, so they
 * see pending writes. Uses {@code ByteArrayProxy.PROXY_BA}, which needs no {@code --add-opens}
 * (DEPENDENCIES.md G4).
 *
 * <p>Single-threaded: the apply thread only (LMDB binds a write transaction to its thread).
 */
public final class LmdbBackend extends BatchedBackend {
  /** LMDB's map is reserved address space, not disk; 8 GiB leaves room above etcd's 2 GiB quota. */
  public static final long DEFAULT_MAP_SIZE = 8L << 30;

  private static final String DATA_FILE = "data.mdb";
  private final Path dir;
  private final long mapSize;
  private Env<byte[]> env;
  private final Map<Bucket, Dbi<byte[]>> dbis = new EnumMap<>(Bucket.class);
  private Txn<byte[]> writeTxn;

  /** Opens or creates the environment in dir (created if missing). */
  public LmdbBackend(Path dir, MvccMetrics metrics) {
    this(dir, DEFAULT_MAP_SIZE, metrics);
  }

  /** Opens or creates the environment in dir with a map of mapSize bytes (the most it can hold). */
  public LmdbBackend(Path dir, long mapSize, MvccMetrics metrics) {
    this(dir, mapSize, DEFAULT_BATCH_LIMIT, metrics, System::nanoTime);
  }

  public LmdbBackend(
      Path dir, long mapSize, int batchLimit, MvccMetrics metrics, LongSupplier nanoTime) {
    super(batchLimit, metrics, nanoTime);
    this.dir = dir;
    this.mapSize = mapSize;
    open();
    metrics.observeSize(size(), sizeInUse());
  }

  private void open() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("mvcc: cannot create backend directory " + dir, e);
    }
    env =
        Env.create(ByteArrayProxy.PROXY_BA)
            .setMapSize(mapSize)
            .setMaxDbs(Bucket.values().length)
            // One fdatasync per commit instead of two: a crash can undo the last commit, never
            // corrupt the file, and the WAL replays whatever an undone commit held.
            .open(dir.toFile(), EnvFlags.MDB_NOMETASYNC);
    for (Bucket b : Bucket.values()) {
      dbis.put(b, env.openDbi(b.bucketName(), DbiFlags.MDB_CREATE));
    }
  }

  private Txn<byte[]> writeTxn() {
    if (writeTxn == null) {
      writeTxn = env.txnWrite();
    }
    return writeTxn;
  }

  @Override
  public void put(Bucket bucket, byte[] key, byte[] value) {
    dbis.get(bucket).put(writeTxn(), key, value);
    countWrite();
  }

  @Override
  public byte[] get(Bucket bucket, byte[] key) {
    if (writeTxn != null) {
      return dbis.get(bucket).get(writeTxn, key);
    }
    try (Txn<byte[]> txn = env.txnRead()) {
      return dbis.get(bucket).get(txn, key);
    }
  }

  @Override
  public void delete(Bucket bucket, byte[] key) {
    dbis.get(bucket).delete(writeTxn(), key);
    countWrite();
  }

  @Override
  public void range(Bucket bucket, byte[] from, byte[] to, Visitor visitor) {
    if (writeTxn != null) {
      scan(writeTxn, bucket, from, to, visitor);
      return;
    }
    try (Txn<byte[]> txn = env.txnRead()) {
      scan(txn, bucket, from, to, visitor);
    }
  }

  private void scan(Txn<byte[]> txn, Bucket bucket, byte[] from, byte[] to, Visitor visitor) {
    try (Cursor<byte[]> c = dbis.get(bucket).openCursor(txn)) {
      // LMDB orders keys by memcmp, i.e. unsigned bytes, as the store expects.
      boolean more = from.length == 0 ? c.first() : c.get(from, GetOp.MDB_SET_RANGE);
      while (more) {
        byte[] k = c.key();
        if (to != null && Arrays.compareUnsigned(k, to) >= 0) {
          return;
        }
        if (!visitor.visit(k, c.val())) {
          return;
        }
        more = c.next();
      }
    }
  }

  @Override
  void commitBatch() {
    writeTxn.commit();
    writeTxn.close();
    writeTxn = null;
  }

  @Override
  void compactFile() {
    Path copy = dir.resolveSibling(dir.getFileName() + ".defrag");
    try {
      deleteTree(copy);
      Files.createDirectories(copy);
      env.copy(copy.toFile(), CopyFlags.MDB_CP_COMPACT);
      closeEnv();
      Files.move(
          copy.resolve(DATA_FILE), dir.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING);
      deleteTree(copy);
    } catch (IOException e) {
      throw new UncheckedIOException("mvcc: defragmenting " + dir, e);
    }
    open();
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (var files = Files.list(p)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(p);
    }
  }

  @Override
  public long size() {
    try {
      Path data = dir.resolve(DATA_FILE);
      return Files.exists(data) ? Files.size(data) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("mvcc: size of " + dir, e);
    }
  }

  /**
   * Pages of the named databases and the catalogue, plus the two meta pages; free pages excluded.
   */
  @Override
  public long sizeInUse() {
    Stat main = env.stat();
    long pages = 2 + pages(main);
    if (writeTxn != null) {
      for (Dbi<byte[]> dbi : dbis.values()) {
        pages += pages(dbi.stat(writeTxn));
      }
    } else {
      try (Txn<byte[]> txn = env.txnRead()) {
        for (Dbi<byte[]> dbi : dbis.values()) {
          pages += pages(dbi.stat(txn));
        }
      }
    }
    return pages * main.pageSize;
  }

  private static long pages(Stat s) {
    return s.branchPages + s.leafPages + s.overflowPages;
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    commit();
    BackendSnapshot.write(this, out);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    List<BackendSnapshot.Entry> entries = BackendSnapshot.read(in);
    for (Dbi<byte[]> dbi : dbis.values()) {
      dbi.drop(writeTxn());
    }
    countWrite();
    for (BackendSnapshot.Entry e : entries) {
      put(e.bucket(), e.key(), e.value());
    }
    commit();
  }

  @Override
  public void close() {
    commit();
    closeEnv();
  }

  private void closeEnv() {
    dbis.clear();
    env.close();
  }
}
