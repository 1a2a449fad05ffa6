package io.raftwatch.raftkv.local;

import io.raftwatch.raftkv.raft.Snapshot;
import io.raftwatch.raftkv.server.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A minimal replicated map for the local cluster: commands are {@code key=value}. Applied on the
 * raft loop thread; read from any thread.
 */
final class KvStateMachine implements StateMachine {
  private final ConcurrentSkipListMap<String, String> data = new ConcurrentSkipListMap<>();

  @Override
  public void apply(long index, ByteBuffer command) {
    String s = StandardCharsets.UTF_8.decode(command.duplicate()).toString(); // leaves it as given
    int eq = s.indexOf('=');
    if (eq > 0) {
      data.put(s.substring(0, eq), s.substring(eq + 1));
    }
  }

  @Override
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(data.size());
      for (Map.Entry<String, String> e : data.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void restore(Snapshot snapshot) {
    Map<String, String> restored = new TreeMap<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.data()))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        restored.put(in.readUTF(), in.readUTF());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot at " + snapshot.metadata().index() + " is unreadable", e);
    }
    data.clear();
    data.putAll(restored);
  }

  String get(String key) {
    return data.get(key);
  }

  int size() {
    return data.size();
  }
}
