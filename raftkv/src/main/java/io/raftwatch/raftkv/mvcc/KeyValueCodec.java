package io.raftwatch.raftkv.mvcc;

import io.raftwatch.raftkv.wire.ExactReader;
import io.raftwatch.raftkv.wire.ExactWriter;

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
    ExactReader r = reader(data);
    byte[] key = new byte[0];
    byte[] value = new byte[0];
    long create = 0, mod = 0, version = 0, lease = 0;
    while (r.hasMore()) {
      long tag = r.readVarint();
      int field = (int) (tag >>> 3);
      switch (field) {
        case 1 -> key = r.readBytes();
        case 2 -> create = r.readVarint();
        case 3 -> mod = r.readVarint();
        case 4 -> version = r.readVarint();
        case 5 -> value = r.readBytes();
        case 6 -> lease = r.readVarint();
        default -> skip(r, (int) (tag & 7));
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
    ExactReader r = reader(data);
    long id = 0, ttl = 0;
    while (r.hasMore()) {
      long tag = r.readVarint();
      switch ((int) (tag >>> 3)) {
        case 1 -> id = r.readVarint();
        case 2 -> ttl = r.readVarint();
        default -> skip(r, (int) (tag & 7));
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

  private static ExactReader reader(byte[] data) {
    return new ExactReader(data, m -> new IllegalStateException("mvcc: bad stored value: " + m));
  }

  /** Steps over a field this version does not know, as protobuf does. */
  private static void skip(ExactReader r, int wireType) {
    switch (wireType) {
      case 0 -> r.readVarint();
      case 1 -> r.skip(8);
      case 2 -> r.skip(r.readCount());
      case 5 -> r.skip(4);
      default ->
          throw new IllegalStateException("mvcc: bad stored value: wire type " + wireType);
    }
  }
}
