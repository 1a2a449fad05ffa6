package io.raftwatch.raftkv.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A backend's buckets as a bbolt database file: the on-disk format of etcd's backend (bbolt 1.3,
 * little-endian as on amd64, 4 KiB pages). The Maintenance Snapshot RPC streams this, as etcd
 * streams its own database, so that {@code etcdctl snapshot status} reads the file and {@code
 * etcdctl snapshot restore} turns it into an etcd data directory: the buckets already hold etcd's
 * keys and values.
 *
 * <p>Layout: pages 0 and 1 are the two meta pages, 2 the (empty) freelist, 3 the root bucket's leaf
 * with one element per bucket, then each bucket's B+tree: its leaves in key order, then the branch
 * levels above them. Every page below the high-water mark is reachable and none is free, which is
 * what bbolt's consistency check (run by {@code snapshot status}) demands. Stateless.
 */
public final class BoltFile {
  static final int PAGE_SIZE = 4096;
  private static final int PAGE_HEADER = 16;
  // Leaf elements (flags, pos, ksize, vsize) and branch elements (pos, ksize, pgid): 16 bytes.
  private static final int ELEMENT = 16;
  private static final short BRANCH_PAGE = 0x01;
  private static final short LEAF_PAGE = 0x02;
  private static final short META_PAGE = 0x04;
  private static final short FREELIST_PAGE = 0x10;
  private static final int BUCKET_LEAF_FLAG = 0x01;
  private static final int MAGIC = 0xED0CDAED;
  private static final int VERSION = 2;
  private static final long FIRST_BUCKET_PAGE = 4;

  private record Item(byte[] key, byte[] value, long child) {}

  private final List<byte[]> pages = new ArrayList<>();
  private long nextPage = FIRST_BUCKET_PAGE;

  private BoltFile() {}

  /** The whole database file for what {@code backend} holds now (the caller's thread owns it). */
  public static byte[] write(Backend backend) {
    return new BoltFile().build(backend);
  }

  private byte[] build(Backend backend) {
    List<Bucket> buckets = new ArrayList<>(List.of(Bucket.values()));
    buckets.sort(Comparator.comparing(Bucket::bucketName, BoltFile::compareNames));
    List<Item> roots = new ArrayList<>();
    for (Bucket bucket : buckets) {
      List<Item> entries = new ArrayList<>();
      backend.range(bucket, new byte[0], null, (k, v) -> entries.add(new Item(k, v, 0)));
      byte[] header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(tree(entries)).putLong(0).array();
      roots.add(new Item(bucket.bucketName().getBytes(UTF_8),
          header, 0));
    }
    byte[] rootLeaf = node(3, LEAF_PAGE, roots, BUCKET_LEAF_FLAG);
    if (rootLeaf.length > PAGE_SIZE) {
      throw new IllegalStateException("bucket names overflow the root page");
    }
    long highWater = nextPage;
    ByteArrayOutputStream file = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE,
        highWater * PAGE_SIZE));
    file.writeBytes(meta(0, highWater));
    file.writeBytes(meta(1, highWater));
    file.writeBytes(pageOf(2, FREELIST_PAGE, 0, new byte[0]));
    file.writeBytes(rootLeaf);
    pages.forEach(file::writeBytes);
    return file.toByteArray();
  }

  /** Writes a bucket's tree (leaves, then branch levels) and returns its root page id. */
  private long tree(List<Item> entries) {
    List<Item> level = writeLevel(entries, LEAF_PAGE);
    while (level.size() > 1) {
      level = writeLevel(level, BRANCH_PAGE);
    }
    return level.get(0).child();
  }

  /**
   * Packs items into pages of one level, in order; returns one branch item (first key, page id)
   * per page written. An item too big for a page gets a page of its own with overflow pages.
   */
  private List<Item> writeLevel(List<Item> items, short type) {
    List<Item> parents = new ArrayList<>();
    int from = 0;
    do {
      int to = from;
      int size = PAGE_HEADER;
      while (to < items.size()) {
        int grown = size + ELEMENT + items.get(to).key().length + items.get(to).value().length;
        if (grown > PAGE_SIZE && to > from) {
          break;
        }
        size = grown;
        to++;
      }
      long id = nextPage;
      byte[] page = node(id, type, items.subList(from, to), 0);
      pages.add(page);
      nextPage += page.length / PAGE_SIZE;
      byte[] firstKey = from < to ? items.get(from).key() : new byte[0];
      parents.add(new Item(firstKey, new byte[0], id));
      from = to;
    } while (from < items.size());
    return parents;
  }

  /** A leaf or branch page (with its overflow pages) holding items, keys then values after. */
  private static byte[] node(long id, short type, List<Item> items, int leafFlags) {
    int dataSize = 0;
    for (Item item : items) {
      dataSize += item.key().length + item.value().length;
    }
    ByteBuffer body = ByteBuffer.allocate(items.size() * ELEMENT + dataSize)
        .order(ByteOrder.LITTLE_ENDIAN);
    int data = items.size() * ELEMENT;
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      int pos = data - i * ELEMENT; // bbolt: from the element to its key
      if (type == LEAF_PAGE) {
        body.putInt(leafFlags).putInt(pos).putInt(item.key().length).putInt(item.value().length);
      } else {
        body.putInt(pos).putInt(item.key().length).putLong(item.child());
      }
      body.put(data, item.key());
      body.put(data + item.key().length, item.value());
      data += item.key().length + item.value().length;
    }
    return pageOf(id, type, items.size(), body.array());
  }

  private static byte[] pageOf(long id, short type, int count, byte[] body) {
    if (count > 0xFFFF) {
      throw new IllegalStateException("page " + id + " would hold " + count + " elements");
    }
    int pagesNeeded = Math.max(1, (PAGE_HEADER + body.length + PAGE_SIZE - 1) / PAGE_SIZE);
    ByteBuffer page = ByteBuffer.allocate(pagesNeeded * PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    page.putLong(id).putShort(type).putShort((short) count).putInt(pagesNeeded - 1).put(body);
    return page.array();
  }

  /** Meta page {@code id}: the root bucket at page 3, the freelist at 2; txid = id, as bbolt's init. */
  private static byte[] meta(long id, long highWater) {
    ByteBuffer m = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    m.putInt(MAGIC).putInt(VERSION).putInt(PAGE_SIZE).putInt(0)
        .putLong(3).putLong(0) // root bucket: page, sequence
        .putLong(2) // freelist page
        .putLong(highWater)
        .putLong(id); // txid
    m.putLong(fnv64a(Arrays.copyOf(m.array(), 56)));
    return pageOf(id, META_PAGE, 0, m.array());
  }

  private static long fnv64a(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static int compareNames(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(UTF_8),
        b.getBytes(UTF_8));
  }
}
