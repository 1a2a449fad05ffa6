package io.raftwatch.raftkv.raft;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The membership and, on a leader, each member's {@link Progress}; counts votes and finds the
 * quorum-committed index. Single-server membership changes only (thesis §4.1), so one majority
 * over the voters is the whole quorum rule.
 */
final class ProgressTracker {
  private final int maxInflight;
  // Sorted so iteration order, and so message order, is deterministic.
  private final SortedMap<Long, Progress> progress = new TreeMap<>();
  private final Map<Long, Boolean> votes = new HashMap<>();
  // Derived from progress; recomputed whenever its entries change, read on every commit check
  // (which so finds the voters' progress without a boxed map lookup each).
  private long[] voters = new long[0];
  private Progress[] voterProgress = new Progress[0];

  ProgressTracker(int maxInflight) {
    this.maxInflight = maxInflight;
  }

  enum VoteResult {
    PENDING,
    LOST,
    WON
  }

  void reset(ConfState cs, long lastIndex) {
    progress.clear();
    for (long id : cs.voters()) {
      progress.put(id, new Progress(lastIndex + 1, maxInflight, false));
    }
    for (long id : cs.learners()) {
      progress.put(id, new Progress(lastIndex + 1, maxInflight, true));
    }
    refreshVoters();
  }

  private void refreshVoters() {
    voters = progress.entrySet().stream()
        .filter(e -> !e.getValue().isLearner)
        .mapToLong(Map.Entry::getKey)
        .toArray();
    voterProgress = progress.values().stream()
        .filter(pr -> !pr.isLearner)
        .toArray(Progress[]::new);
  }

  ConfState confState() {
    var voters = new java.util.TreeSet<Long>();
    var learners = new java.util.TreeSet<Long>();
    progress.forEach((id, pr) -> (pr.isLearner ? learners : voters).add(id));
    return new ConfState(voters, learners);
  }

  Progress get(long id) {
    return progress.get(id);
  }

  SortedMap<Long, Progress> all() {
    return progress;
  }

  void forEach(BiConsumer<Long, Progress> f) {
    progress.forEach(f);
  }

  boolean isVoter(long id) {
    Progress pr = progress.get(id);
    return pr != null && !pr.isLearner;
  }

  /** The voters' ids, ascending. The caller must not modify the array. */
  long[] voterIds() {
    return voters;
  }

  private int quorum() {
    return voterIds().length / 2 + 1;
  }

  /** The highest index replicated on a majority of voters (§5.3). */
  long committed() {
    if (voterProgress.length == 0) {
      return Long.MAX_VALUE; // no voters: nothing constrains commit (a removed leader's view)
    }
    long[] matches = new long[voterProgress.length];
    for (int i = 0; i < voterProgress.length; i++) {
      matches[i] = voterProgress[i].match;
    }
    Arrays.sort(matches);
    return matches[matches.length - quorum()];
  }

  /** Whether a majority of voters was heard from recently; {@code self} always counts. */
  boolean quorumActive(long self) {
    int active = 0;
    for (long id : voterIds()) {
      if (id == self || progress.get(id).recentActive) {
        active++;
      }
    }
    return active >= quorum();
  }

  void resetVotes() {
    votes.clear();
  }

  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  VoteResult tallyVotes() {
    int granted = 0;
    int rejected = 0;
    long[] ids = voterIds();
    for (long id : ids) {
      Boolean v = votes.get(id);
      if (v == null) {
        continue;
      }
      if (v) {
        granted++;
      } else {
        rejected++;
      }
    }
    int q = ids.length / 2 + 1;
    if (granted >= q) {
      return VoteResult.WON;
    }
    if (ids.length - rejected < q) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  int[] voteCounts() {
    int granted = 0;
    int rejected = 0;
    for (long id : voterIds()) {
      Boolean v = votes.get(id);
      if (v != null) {
        if (v) {
          granted++;
        } else {
          rejected++;
        }
      }
    }
    return new int[] {granted, rejected};
  }

  /** Whether {@code ids} contains a majority of the voters. */
  boolean isQuorum(Set<Long> ids) {
    int n = 0;
    long[] voters = voterIds();
    for (long v : voters) {
      if (ids.contains(v)) {
        n++;
      }
    }
    return n >= voters.length / 2 + 1;
  }

  /** Forgets what was known of every member's log: a new term starts probing from scratch. */
  void resetProgress(long self, long lastIndex) {
    progress.replaceAll((pid, old) -> {
      Progress pr = new Progress(lastIndex + 1, maxInflight, old.isLearner);
      if (pid == self) {
        pr.match = lastIndex;
      }
      return pr;
    });
    refreshVoters();
  }

  void add(long id, long next, boolean learner) {
    progress.put(id, new Progress(next, maxInflight, learner));
    refreshVoters();
  }

  /** A learner becomes a voter. */
  void promote(long id) {
    progress.get(id).isLearner = false;
    refreshVoters();
  }

  void remove(long id) {
    progress.remove(id);
    refreshVoters();
  }
}
