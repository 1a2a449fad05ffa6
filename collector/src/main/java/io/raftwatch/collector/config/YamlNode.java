package io.raftwatch.collector.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node starts, so that {@link ConfigBinder}
 * can name the line of a mistake. Built by {@link ConfigLoader}; immutable once built.
 */
sealed interface YamlNode {

  /** 1-based line where the node starts. */
  int line();

  /** What the node is, in the words a user reads in an error message. */
  String kind();

  /** A mapping; keys keep the order of the file. */
  record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
    public Mapping {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** One key of a mapping with the line of the key itself (the value may start later). */
  record Entry(String key, int keyLine, YamlNode value) {}

  /** A sequence. */
  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A scalar. {@code text} is the scalar as written (for {@code null} or {@code ~} it is the
   * literal text); {@code isNull} marks YAML's null.
   */
  record Scalar(int line, String text, boolean isNull) implements YamlNode {
    @Override
    public String kind() {
      return isNull ? "nothing (null)" : "a single value";
    }
  }
}
