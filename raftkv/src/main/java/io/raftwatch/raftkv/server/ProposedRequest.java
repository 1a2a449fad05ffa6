package io.raftwatch.raftkv.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The command a {@link KvProposer} puts in the Raft log: a tag byte naming the {@link RequestKind},
 * the proposer's 8-byte request id (so the proposing member finds the waiting caller), then the
 * etcd protobuf request. Built by the proposer's thread, decoded on the raft loop thread.
 */
public record ProposedRequest(long id, Message request) {

  byte[] encode() {
    int size = request.getSerializedSize();
    byte[] command =
        ByteBuffer.allocate(9 + size).put(RequestKind.of(request).tag).putLong(id).array();
    CodedOutputStream body = CodedOutputStream.newInstance(command, 9, size);
    try {
      request.writeTo(body);
    } catch (IOException e) {
      throw new UncheckedIOException("protobuf writing into an array of its own size", e);
    }
    body.checkNoSpaceLeft();
    return command;
  }

  /** Decodes the command from {@code command}'s position to its limit (a heap buffer). */
  static ProposedRequest decode(ByteBuffer command) {
    if (command.remaining() < 9) {
      throw new IllegalArgumentException(
          "proposed request of " + command.remaining() + " bytes is truncated");
    }
    ByteBuffer in = command.duplicate();
    RequestKind kind = RequestKind.ofTag(in.get());
    long id = in.getLong();
    try {
      return new ProposedRequest(
          id, kind.parse(in.array(), in.arrayOffset() + in.position(), in.remaining()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("proposed " + kind + " request is not valid protobuf", e);
    }
  }
}
