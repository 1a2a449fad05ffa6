package io.raftwatch.collector.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the threads that produce alerts and the one that posts them to the
 * Alertmanagers, with Prometheus's notifier policy: when full, the oldest alerts are dropped in
 * favour of the newer ones (a newer copy of an alert supersedes an older one anyway). Thread-safe.
 */
final class NotificationQueue {
  private final int capacity;
  private final ArrayDeque<OutgoingAlert> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  NotificationQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Appends the alerts, never blocking; returns how many (old or new) were dropped to fit. */
  int offer(List<OutgoingAlert> alerts) {
    lock.lock();
    try {
      int dropped = 0;
      List<OutgoingAlert> incoming = alerts;
      if (incoming.size() > capacity) {
        dropped += incoming.size() - capacity;
        incoming = incoming.subList(incoming.size() - capacity, incoming.size());
      }
      while (queue.size() + incoming.size() > capacity) {
        queue.pollFirst();
        dropped++;
      }
      queue.addAll(incoming);
      if (!queue.isEmpty()) {
        notEmpty.signalAll();
      }
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Up to {@code max} alerts from the head, waiting up to {@code timeoutMillis} for the first;
   * empty on timeout.
   */
  List<OutgoingAlert> take(int max, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (queue.isEmpty()) {
        if (nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      List<OutgoingAlert> batch = new ArrayList<>(Math.min(max, queue.size()));
      while (batch.size() < max && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return capacity;
  }
}
