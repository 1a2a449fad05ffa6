package io.raftwatch.raftkv.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded, lossy network on logical time: each message is delivered after a random delay (which
 * reorders messages), may be dropped or duplicated, and never crosses a partition. Used only by
 * the randomized simulation; one thread.
 */
final class SimNetwork {
  private record InFlight(long deliverAt, Message message) {}

  private final Random random;
  private final List<InFlight> inFlight = new ArrayList<>();
  private final Map<Long, Integer> groupOf = new HashMap<>();
  private double lossRate;
  private double duplicateRate;
  private int maxDelay;

  SimNetwork(Random random) {
    this.random = random;
  }

  void setFaults(double lossRate, double duplicateRate, int maxDelay) {
    this.lossRate = lossRate;
    this.duplicateRate = duplicateRate;
    this.maxDelay = maxDelay;
  }

  /** Queues {@code m}; returns false if the network lost it at once. */
  boolean send(long now, Message m) {
    if (random.nextDouble() < lossRate) {
      return false;
    }
    inFlight.add(new InFlight(now + random.nextInt(maxDelay + 1), m));
    if (random.nextDouble() < duplicateRate) {
      inFlight.add(new InFlight(now + random.nextInt(maxDelay + 1), m));
    }
    return true;
  }

  /** A due message, and whether it reaches its recipient (false: cut off by a partition). */
  record Delivery(Message message, boolean connected) {}

  /** Removes and returns the messages due by {@code now}, shuffled. */
  List<Delivery> due(long now) {
    List<Delivery> out = new ArrayList<>();
    for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
      InFlight f = it.next();
      if (f.deliverAt <= now) {
        it.remove();
        out.add(new Delivery(f.message, connected(f.message.from(), f.message.to())));
      }
    }
    java.util.Collections.shuffle(out, random);
    return out;
  }

  /** Splits the nodes into groups; nodes absent from every group are isolated. */
  void partition(List<List<Long>> groups) {
    groupOf.clear();
    for (int g = 0; g < groups.size(); g++) {
      for (long id : groups.get(g)) {
        groupOf.put(id, g);
      }
    }
  }

  void heal() {
    groupOf.clear();
  }

  boolean partitioned() {
    return !groupOf.isEmpty();
  }

  private boolean connected(long a, long b) {
    if (groupOf.isEmpty()) {
      return true;
    }
    Integer ga = groupOf.get(a);
    return ga != null && ga.equals(groupOf.get(b));
  }

  /** Drops and returns every message in flight to {@code id} (it crashed). */
  List<Message> dropMessagesTo(long id) {
    List<Message> dropped = new ArrayList<>();
    inFlight.removeIf(f -> {
      if (f.message.to() == id) {
        dropped.add(f.message);
        return true;
      }
      return false;
    });
    return dropped;
  }
}
