package io.raftwatch.raftkv.raft;

import java.util.Arrays;

/**
 * The answer to a read-index request: once this node has applied {@code index}, a read that
 * started when {@code context} was requested may be served locally and is linearizable
 * (thesis §6.4).
 */
public record ReadState(long index, byte[] context) {
  @Override
  public boolean equals(Object o) {
    return o instanceof ReadState r && index == r.index && Arrays.equals(context, r.context);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(context);
  }

  @Override
  public String toString() {
    return "ReadState{index=" + index + ", context=" + Describe.printable(context) + "}";
  }
}
