package io.raftwatch.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomized whole-cluster runs on a seeded simulated network and disk ({@link SimCluster}).
 * {@code -Draftwatch.sim.seeds=N} sets how many seeds each cluster size runs (default 2000, CI's
 * floor); {@code -Draftwatch.sim.seed=S} replays one seed and prints its trace.
 */
class RaftSimulationTest {
  private static final int FAULT_TICKS = 400;

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void safetyAndLivenessHoldUnderChaos(int size) {
    String replay = System.getProperty("raftwatch.sim.seed");
    if (replay != null) {
      runOne(Long.parseLong(replay), size, true);
      return;
    }
    long seeds = Long.getLong("raftwatch.sim.seeds", 2000);
    AtomicLong acknowledged = new AtomicLong();
    LongStream.range(0, seeds).parallel().forEach(seed ->
        acknowledged.addAndGet(runOne(seed * 1_000 + size, size, false)));
    // The runs must have done real work, not idled through partitions.
    assertThat(acknowledged.get()).isGreaterThan(seeds * 10);
  }

  private static long runOne(long seed, int size, boolean verbose) {
    SimCluster cluster = new SimCluster(seed, size);
    try {
      cluster.run(FAULT_TICKS);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed; replay with -Draftwatch.sim.seed=" + seed
          + "\nlast log lines:\n" + cluster.recentLog(), e);
    }
    if (verbose) {
      System.out.println(cluster.recentLog());
    }
    return cluster.acknowledgedCount();
  }
}
