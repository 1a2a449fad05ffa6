package io.raftwatch.raftkv.api;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.SnapshotResponse;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The Maintenance Snapshot stream as etcd sends it: the backend in 32 KiB chunks, each saying how
 * many bytes remain, then a last message holding the SHA-256 of everything before it, which
 * {@code etcdctl snapshot restore} checks. etcd's backend is a bbolt file whose size is a multiple
 * of its page size, and etcdctl looks for the digest only when {@code size % 512 == 32}; raftkv's
 * backend snapshot (LMDB's content in its own format) is zero-padded to a multiple of 512 bytes
 * first, which its reader ignores. NB: {@code etcdctl snapshot status} opens the file with bbolt
 * and so cannot read a raftkv snapshot. Called from the thread that completes the snapshot.
 */
final class BackendStream {
  private static final int CHUNK = 32 * 1024;
  private static final int SECTOR = 512;

  private BackendStream() {}

  static void send(byte[] backend, StreamObserver<SnapshotResponse> out) {
    byte[] body = Arrays.copyOf(backend, (backend.length + SECTOR - 1) / SECTOR * SECTOR);
    for (int off = 0; off < body.length; off += CHUNK) {
      int n = Math.min(CHUNK, body.length - off);
      out.onNext(SnapshotResponse.newBuilder()
          .setRemainingBytes(body.length - off - n + 32L)
          .setBlob(ByteString.copyFrom(body, off, n))
          .build());
    }
    out.onNext(SnapshotResponse.newBuilder().setBlob(ByteString.copyFrom(sha256(body))).build());
    out.onCompleted();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
