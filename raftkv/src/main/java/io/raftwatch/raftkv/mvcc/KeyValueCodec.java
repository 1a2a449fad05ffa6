package io.raftwatch.raftkv.mvcc;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Encodes the values of the "key" and "lease" buckets in protobuf wire format, field for field as
 * etcd's gogoproto marshals {@code mvccpb.KeyValue} and {@code leasepb.Lease} (zero fields left
 * out, fields in number order), so that {@link KvStore#hashKv} hashes the same bytes as etcd.
 * Written by hand to keep the store free of a protobuf dependency. Stateless; any thread.
 */
final class KeyValueCodec {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_BYTES = 2;

  private KeyValueCodec() {}

  static byte[] encode(KeyValue kv) {
    return Out.exact(out -> {
      out.bytesField(1, kv.key());
      out.varintField(2, kv.createRevision());
      out.varintField(3, kv.modRevision());
      out.varintField(4, kv.version());
      out.bytesField(5, kv.value());
      out.varintField(6, kv.lease());
    });
  }

  static KeyValue decode(byte[] data) {
    Reader r = new Reader(data);
    byte[] key = new byte[0];
    byte[] value = new byte[0];
    long create = 0, mod = 0, version = 0, lease = 0;
    while (r.hasMore()) {
      long tag = r.varint();
      int field = (int) (tag >>> 3);
      switch (field) {
        case 1 -> key = r.bytes();
        case 2 -> create = r.varint();
        case 3 -> mod = r.varint();
        case 4 -> version = r.varint();
        case 5 -> value = r.bytes();
        case 6 -> lease = r.varint();
        default -> r.skip((int) (tag & 7));
      }
    }
    return new KeyValue(key, create, mod, version, value, lease);
  }

  /** A persisted lease as etcd's {@code leasepb.Lease}: field 1 ID, field 2 TTL in seconds. */
  static byte[] encodeLease(long id, long ttlSeconds) {
    return Out.exact(out -> {
      out.varintField(1, id);
      out.varintField(2, ttlSeconds);
    });
  }

  /** Returns {id, ttl}. */
  static long[] decodeLease(byte[] data) {
    Reader r = new Reader(data);
    long id = 0, ttl = 0;
    while (r.hasMore()) {
      long tag = r.varint();
      switch ((int) (tag >>> 3)) {
        case 1 -> id = r.varint();
        case 2 -> ttl = r.varint();
        default -> r.skip((int) (tag & 7));
      }
    }
    return new long[] {id, ttl};
  }

  /**
   * Protobuf field writes, run twice by {@link #exact}: once only counting, once into an array of
   * the counted size, so that each stored value is one exact allocation (every put writes one).
   */
  private static final class Out {
    private final byte[] buf; // null when counting
    private int size;

    private Out(byte[] buf) {
      this.buf = buf;
    }

    static byte[] exact(Consumer<Out> fields) {
      Out counter = new Out(null);
      fields.accept(counter);
      Out out = new Out(new byte[counter.size]);
      fields.accept(out);
      return out.buf;
    }

    void varintField(int field, long v) {
      if (v != 0) {
        varint(((long) field << 3) | WIRE_VARINT);
        varint(v);
      }
    }

    void bytesField(int field, byte[] b) {
      if (b.length != 0) {
        varint(((long) field << 3) | WIRE_BYTES);
        varint(b.length);
        if (buf != null) {
          System.arraycopy(b, 0, buf, size, b.length);
        }
        size += b.length;
      }
    }

    private void varint(long v) {
      // NB: negative int64 takes ten bytes in protobuf; the unsigned shift gives exactly that.
      while ((v & ~0x7FL) != 0) {
        put((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      put((int) v);
    }

    private void put(int b) {
      if (buf != null) {
        buf[size] = (byte) b;
      }
      size++;
    }
  }

  private static final class Reader {
    private final byte[] data;
    private int pos;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean hasMore() {
      return pos < data.length;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= data.length) {
          throw new IllegalStateException("mvcc: truncated varint in stored value");
        }
        byte b = data[pos++];
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalStateException("mvcc: varint longer than 10 bytes in stored value");
    }

    byte[] bytes() {
      int n = (int) varint();
      if (n < 0 || pos + n > data.length) {
        throw new IllegalStateException("mvcc: length " + n + " overruns stored value");
      }
      byte[] b = Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return b;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> pos += (int) varint();
        case 5 -> pos += 4;
        default ->
            throw new IllegalStateException("mvcc: wire type " + wireType + " in stored value");
      }
    }
  }
}
