package io.raftwatch.collector.notify;

import io.raftwatch.collector.tsdb.Labels;
import java.nio.charset.StandardCharsets;

/**
 * The fingerprint Alertmanager shows for an alert ({@code model.LabelSet.Fingerprint} of
 * prometheus/common): FNV-1a 64 over the label names in order, each name and value followed by the
 * byte 0xff. Stateless.
 */
final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;
  private static final int SEPARATOR = 0xff;

  private Fingerprint() {}

  /** 16 lower-case hex digits, as Alertmanager's webhook and API print it. */
  static String of(Labels labels) {
    long hash = OFFSET;
    for (int i = 0; i < labels.size(); i++) {
      hash = add(hash, labels.nameAt(i));
      hash = addByte(hash, SEPARATOR);
      hash = add(hash, labels.valueAt(i));
      hash = addByte(hash, SEPARATOR);
    }
    return String.format("%016x", hash);
  }

  private static long add(long hash, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash = addByte(hash, b & 0xff);
    }
    return hash;
  }

  private static long addByte(long hash, int b) {
    return (hash ^ b) * PRIME;
  }
}
