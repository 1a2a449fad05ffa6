package io.raftwatch.raftkv.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;

/**
 * The command a {@link KvProposer} puts in the Raft log: a tag byte naming the {@link RequestKind},
 * the proposer's 8-byte request id (so the proposing member finds the waiting caller), then the
 * etcd protobuf request. Built by the proposer's thread, decoded on the raft loop thread.
 */
public record ProposedRequest(long id, Message request) {

  byte[] encode() {
    byte[] body = request.toByteArray();
    return ByteBuffer.allocate(9 + body.length)
        .put(RequestKind.of(request).tag)
        .putLong(id)
        .put(body)
        .array();
  }

  static ProposedRequest decode(byte[] command) {
    if (command.length < 9) {
      throw new IllegalArgumentException(
          "proposed request of " + command.length + " bytes is truncated");
    }
    ByteBuffer in = ByteBuffer.wrap(command);
    RequestKind kind = RequestKind.ofTag(in.get());
    long id = in.getLong();
    byte[] body = new byte[in.remaining()];
    in.get(body);
    try {
      return new ProposedRequest(id, kind.parse(body));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("proposed " + kind + " request is not valid protobuf", e);
    }
  }
}
