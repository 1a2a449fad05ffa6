package io.raftwatch.raftkv.server;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmType;
import io.raftwatch.raftkv.mvcc.Backend;
import io.raftwatch.raftkv.mvcc.Bucket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's raised alarms (etcd's alarm store): which member raised which {@link AlarmType},
 * kept in the backend's alarm bucket so that they survive restarts and travel in snapshots. Changed
 * only by applied AlarmRequests, so every member holds the same set. Loop thread only.
 */
final class Alarms {
  private record Raised(long memberId, int type) implements Comparable<Raised> {
    @Override
    public int compareTo(Raised o) {
      int c = Long.compareUnsigned(memberId, o.memberId);
      return c != 0 ? c : Integer.compare(type, o.type);
    }
  }

  private final Backend backend;
  private final Set<Raised> raised = new TreeSet<>();

  /** Loads the alarms stored in backend. */
  Alarms(Backend backend) {
    this.backend = backend;
    backend.range(Bucket.ALARM, new byte[0], null, (k, v) -> {
      ByteBuffer b = ByteBuffer.wrap(k);
      raised.add(new Raised(b.getLong(), b.getInt()));
      return true;
    });
  }

  /** Raises alarm for member; returns it, or null when it was raised already. */
  AlarmMember activate(long memberId, AlarmType alarm) {
    Raised r = new Raised(memberId, alarm.getNumber());
    if (!raised.add(r)) {
      return null;
    }
    backend.put(Bucket.ALARM, key(r), new byte[0]);
    return member(r);
  }

  /** Clears alarm for member; returns it, or null when it was not raised. */
  AlarmMember deactivate(long memberId, AlarmType alarm) {
    Raised r = new Raised(memberId, alarm.getNumber());
    if (!raised.remove(r)) {
      return null;
    }
    backend.delete(Bucket.ALARM, key(r));
    return member(r);
  }

  /** The raised alarms of type alarm, or all of them for {@link AlarmType#NONE}. */
  List<AlarmMember> list(AlarmType alarm) {
    List<AlarmMember> out = new ArrayList<>();
    for (Raised r : raised) {
      if (alarm == AlarmType.NONE || r.type() == alarm.getNumber()) {
        out.add(member(r));
      }
    }
    return out;
  }

  boolean isRaised(AlarmType alarm) {
    return raised.stream().anyMatch(r -> r.type() == alarm.getNumber());
  }

  private static byte[] key(Raised r) {
    return ByteBuffer.allocate(12).putLong(r.memberId()).putInt(r.type()).array();
  }

  private static AlarmMember member(Raised r) {
    AlarmType type = AlarmType.forNumber(r.type());
    return AlarmMember.newBuilder()
        .setMemberID(r.memberId())
        .setAlarm(type == null ? AlarmType.UNRECOGNIZED : type)
        .build();
  }
}
