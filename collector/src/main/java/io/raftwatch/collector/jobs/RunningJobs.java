package io.raftwatch.collector.jobs;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many collector jobs are running right now, so that shutdown can wait for them, for a
 * bounded time. Updated by the Quartz worker threads, awaited by the closing thread.
 */
final class RunningJobs {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  // Invariant: >= 0.
  private int running;

  void started() {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
  }

  void finished() {
    lock.lock();
    try {
      running--;
      if (running == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits until no job runs or {@code timeout} has passed; returns how many still run. */
  int awaitIdle(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (running > 0 && nanos > 0) {
        nanos = idle.awaitNanos(nanos);
      }
      return running;
    } finally {
      lock.unlock();
    }
  }

  int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }
}
