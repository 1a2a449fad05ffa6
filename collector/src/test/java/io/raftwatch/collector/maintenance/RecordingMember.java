package io.raftwatch.collector.maintenance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a member's maintenance calls and writes each call into a shared log ("defragment
 * member-2"), counting how many defragmentations run at once across all members. For tests that
 * check the order and the one-at-a-time rule.
 */
final class RecordingMember implements MemberMaintenance {
  private final MemberMaintenance inner;
  private final List<String> calls;
  private final AtomicInteger running;
  private final AtomicInteger maxRunning;

  RecordingMember(MemberMaintenance inner, List<String> calls, AtomicInteger running,
      AtomicInteger maxRunning) {
    this.inner = inner;
    this.calls = calls;
    this.running = running;
    this.maxRunning = maxRunning;
  }

  @Override
  public String member() {
    return inner.member();
  }

  @Override
  public MemberStatus status() throws MaintenanceException {
    return inner.status();
  }

  @Override
  public void defragment() throws MaintenanceException {
    calls.add("defragment " + member());
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      inner.defragment();
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public void compact(long revision) throws MaintenanceException {
    calls.add("compact " + revision + " via " + member());
    inner.compact(revision);
  }

  @Override
  public void close() {
    inner.close();
  }
}
