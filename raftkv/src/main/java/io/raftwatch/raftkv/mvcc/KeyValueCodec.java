package io.raftwatch.raftkv.mvcc;

import io.raftwatch.raftkv.wire.ExactWriter;
import java.util.Arrays;

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
    return ExactWriter.encode(out -> {
      bytesField(out, 1, kv.key());
      varintField(out, 2, kv.createRevision());
      varintField(out, 3, kv.modRevision());
      varintField(out, 4, kv.version());
      bytesField(out, 5, kv.value());
      varintField(out, 6, kv.lease());
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
    return ExactWriter.encode(out -> {
      varintField(out, 1, id);
      varintField(out, 2, ttlSeconds);
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

  private static void varintField(ExactWriter out, int field, long v) {
    if (v != 0) {
      out.writeVarint(((long) field << 3) | WIRE_VARINT);
      out.writeVarint(v);
    }
  }

  private static void bytesField(ExactWriter out, int field, byte[] b) {
    if (b.length != 0) {
      out.writeVarint(((long) field << 3) | WIRE_BYTES);
      out.writeBytes(b);
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
