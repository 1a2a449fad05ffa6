package io.raftwatch.raftkv.raft;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Collections;

/**
 * The membership of the cluster at some log index: who votes and who only receives the log.
 * Immutable; the sets are sorted so that descriptions and encodings are stable.
 */
public record ConfState(SortedSet<Long> voters, SortedSet<Long> learners) {
  public static final ConfState EMPTY = new ConfState(new TreeSet<>(), new TreeSet<>());

  public ConfState {
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    for (long id : learners) {
      if (voters.contains(id)) {
        throw new IllegalArgumentException("node " + id + " is both voter and learner");
      }
    }
  }

  public static ConfState ofVoters(long... ids) {
    SortedSet<Long> v = new TreeSet<>();
    for (long id : ids) {
      v.add(id);
    }
    return new ConfState(v, new TreeSet<>());
  }

  public boolean isMember(long id) {
    return voters.contains(id) || learners.contains(id);
  }
}
