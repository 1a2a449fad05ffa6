package io.raftwatch.collector.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's streaming parser into maps, lists and scalars that remember
 * their line, so that rule-file and test-file errors can name it. Built by {@link #parse}; the
 * tree is immutable.
 */
final class YamlTree {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private YamlTree() {}

  /** A node and the 1-based line where it starts. */
  sealed interface Node {
    int line();
  }

  record MapNode(int line, Map<String, Node> entries, Map<String, Integer> keyLines)
      implements Node {}

  record ListNode(int line, List<Node> items) implements Node {}

  /** A scalar as written; {@code text} is null for YAML's null. */
  record Scalar(int line, String text) implements Node {}

  /** A syntax error with its line. */
  static final class YamlException extends Exception {
    final int line;

    YamlException(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Parses one YAML document; an empty document gives an empty map. */
  static Node parse(String text) throws YamlException {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new MapNode(1, Map.of(), Map.of());
      }
      return read(p);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      // SnakeYAML's message interleaves indented position and snippet lines with the text.
      String msg =
          String.join(
              ": ",
              e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).toList());
      throw new YamlException(loc == null ? 0 : loc.getLineNr(), msg);
    } catch (IOException e) {
      throw new YamlException(0, e.getMessage());
    }
  }

  private static Node read(JsonParser p) throws IOException, YamlException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Node> entries = new LinkedHashMap<>();
      Map<String, Integer> keyLines = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int keyLine = p.currentTokenLocation().getLineNr();
        p.nextToken();
        Node value = read(p);
        if (entries.putIfAbsent(key, value) != null) {
          throw new YamlException(keyLine, "mapping key \"" + key + "\" already defined");
        }
        keyLines.put(key, keyLine);
      }
      return new MapNode(line, entries, keyLines);
    }
    if (t == JsonToken.START_ARRAY) {
      List<Node> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p));
      }
      return new ListNode(line, items);
    }
    return new Scalar(line, t == JsonToken.VALUE_NULL ? null : p.getText());
  }
}
