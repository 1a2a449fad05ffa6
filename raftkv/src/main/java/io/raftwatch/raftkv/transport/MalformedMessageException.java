package io.raftwatch.raftkv.transport;

/**
 * Thrown by {@link MessageCodec#decode} when peer bytes are not a valid message. The peer service
 * turns it into an INVALID_ARGUMENT status for the sender; it never reaches the raft loop.
 */
public final class MalformedMessageException extends IllegalArgumentException {
  public MalformedMessageException(String message) {
    super(message);
  }
}
