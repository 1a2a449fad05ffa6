package io.raftwatch.raftkv.raft;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One membership change, carried in an {@link EntryType#CONF_CHANGE} entry and applied one at a
 * time (thesis §4.1: single-server changes need no joint consensus).
 *
 * @param type what to do with {@code nodeId}
 * @param nodeId the member concerned
 * @param context opaque to Raft; raftkv stores the member's name and peer URLs here
 */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) {

  public ConfChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(context, "context");
  }

  public static ConfChange of(ConfChangeType type, long nodeId) {
    return new ConfChange(type, nodeId, new byte[0]);
  }

  public byte[] encode() {
    ByteBuffer buf = ByteBuffer.allocate(1 + 8 + context.length);
    buf.put((byte) type.ordinal()).putLong(nodeId).put(context);
    return buf.array();
  }

  public static ConfChange decode(byte[] data) {
    if (data.length < 9) {
      throw new IllegalArgumentException("conf change of " + data.length + " bytes is too short");
    }
    ByteBuffer buf = ByteBuffer.wrap(data);
    int t = buf.get();
    if (t < 0 || t >= ConfChangeType.values().length) {
      throw new IllegalArgumentException("unknown conf change type " + t);
    }
    long id = buf.getLong();
    byte[] ctx = Arrays.copyOfRange(data, 9, data.length);
    return new ConfChange(ConfChangeType.values()[t], id, ctx);
  }

  /** The membership that results from applying this change to {@code cs}. */
  public ConfState applyTo(ConfState cs) {
    var voters = new java.util.TreeSet<>(cs.voters());
    var learners = new java.util.TreeSet<>(cs.learners());
    switch (type) {
      case ADD_NODE -> {
        learners.remove(nodeId);
        voters.add(nodeId);
      }
      case ADD_LEARNER_NODE -> {
        if (voters.contains(nodeId)) {
          throw new IllegalStateException("cannot demote voter " + nodeId + " to learner");
        }
        learners.add(nodeId);
      }
      case REMOVE_NODE -> {
        voters.remove(nodeId);
        learners.remove(nodeId);
      }
      case UPDATE_NODE -> { }
    }
    return new ConfState(voters, learners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfChange c
        && type == c.type
        && nodeId == c.nodeId
        && Arrays.equals(context, c.context);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, nodeId, Arrays.hashCode(context));
  }

  @Override
  public String toString() {
    return switch (type) {
      case ADD_NODE -> "v" + nodeId;
      case ADD_LEARNER_NODE -> "l" + nodeId;
      case REMOVE_NODE -> "r" + nodeId;
      case UPDATE_NODE -> "u" + nodeId;
    };
  }
}
