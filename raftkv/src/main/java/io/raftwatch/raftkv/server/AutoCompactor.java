package io.raftwatch.raftkv.server;

import io.etcd.jetcd.api.CompactionRequest;
import io.raftwatch.raftkv.mvcc.CompactedException;
import io.raftwatch.raftkv.raft.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link CompactionPolicy} against a member: each {@link #run} (scheduled at start and every
 * {@link CompactionPolicy#checkInterval()} on a thread of its own, since it waits for the
 * compaction) reads the store's revision on the raft loop, asks the policy, and proposes the
 * compaction it wants through Raft as etcd's compactor does with a Compact request. Only a leader
 * compacts.
 */
public final class AutoCompactor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AutoCompactor.class);

  private final CompactionPolicy policy;
  private final RaftLoop loop;
  private final KvApplier applier;
  private final KvProposer proposer;
  private final Clock clock;
  private final Duration timeout;

  public AutoCompactor(CompactionPolicy policy, RaftLoop loop, KvApplier applier,
      KvProposer proposer, Clock clock, Duration timeout) {
    this.policy = policy;
    this.loop = loop;
    this.applier = applier;
    this.proposer = proposer;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void run() {
    try {
      boolean leader = loop.status().softState().role() == Role.LEADER;
      long current = loop.onLoop(applier::currentRevision).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long revision = policy.onTimer(clock.instant(), current, leader);
      if (revision <= 0) {
        return;
      }
      log.info("starting auto compaction at revision {}", revision);
      try {
        proposer.propose(CompactionRequest.newBuilder().setRevision(revision).build())
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        policy.compacted(revision, clock.instant());
        log.info("completed auto compaction at revision {}", revision);
      } catch (ExecutionException | CompletionException e) {
        if (e.getCause() instanceof CompactedException) {
          policy.compacted(revision, clock.instant());
        } else {
          log.warn("auto compaction at revision {} failed, will retry: {}", revision,
              e.getCause().toString());
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      log.warn("auto compaction check failed, will retry: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The policy's check interval, for scheduling {@link #run}. */
  public Duration checkInterval() {
    return policy.checkInterval();
  }
}
