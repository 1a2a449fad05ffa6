package io.raftwatch.collector.maintenance;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A member for the maintenance logic's unit tests: answers {@code status} from a script (the last
 * answer repeats), logs its defragmentations to a shared list, and can be told to fail.
 */
final class FakeMember implements MemberMaintenance {
  private final String name;
  private final List<String> log;
  private final Deque<MemberStatus> statuses = new ArrayDeque<>();
  private MaintenanceException statusFailure;
  private MaintenanceException defragFailure;
  private Runnable afterDefragment = () -> { };

  FakeMember(String name, List<String> log) {
    this.name = name;
    this.log = log;
  }

  /** Answers status with member id {@code id}, knowing leader {@code leader}, next in line. */
  FakeMember thenStatus(long id, long leader) {
    statuses.addLast(new MemberStatus(name, id, leader, 4 << 20, 1 << 20, 100));
    return this;
  }

  /** Runs {@code action} after each defragmentation, e.g. to change the world meanwhile. */
  FakeMember afterDefragment(Runnable action) {
    afterDefragment = action;
    return this;
  }

  FakeMember unreachable() {
    statusFailure = new MaintenanceException(name + ": status failed: UNAVAILABLE", null);
    return this;
  }

  FakeMember failingDefragment() {
    defragFailure = new MaintenanceException(name + ": defragment failed: DEADLINE_EXCEEDED", null);
    return this;
  }

  @Override
  public String member() {
    return name;
  }

  @Override
  public MemberStatus status() throws MaintenanceException {
    if (statusFailure != null) {
      throw statusFailure;
    }
    return statuses.size() > 1 ? statuses.pollFirst() : statuses.peekFirst();
  }

  @Override
  public void defragment() throws MaintenanceException {
    log.add("defragment " + name);
    if (defragFailure != null) {
      throw defragFailure;
    }
    afterDefragment.run();
  }

  @Override
  public void compact(long revision) {
    log.add("compact " + revision);
  }

  @Override
  public void close() {}
}
