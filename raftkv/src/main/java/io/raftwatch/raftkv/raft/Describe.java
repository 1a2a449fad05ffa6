package io.raftwatch.raftkv.raft;

import java.nio.charset.StandardCharsets;

/**
 * Short, stable one-line renderings of Raft values, shared by logs and the scripted tests whose
 * expected output is made of them (etcd-io/raft util.go).
 */
public final class Describe {
  private Describe() {}

  /** {@code 2/5 EntryNormal "put k v"}: term/index, type, and the data as text if it is text. */
  public static String entry(Entry e) {
    String kind = e.type() == EntryType.NORMAL ? "EntryNormal" : "EntryConfChange";
    String payload;
    if (e.type() == EntryType.CONF_CHANGE) {
      payload = ConfChange.decode(e.data()).toString();
    } else {
      payload = '"' + printable(e.data()) + '"';
    }
    return e.term() + "/" + e.index() + " " + kind + " " + payload;
  }

  static String printable(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    return out.toString();
  }
}
