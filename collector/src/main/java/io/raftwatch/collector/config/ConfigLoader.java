package io.raftwatch.collector.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code raftwatch.yaml} from disk into a validated {@link RaftwatchConfig}. Called once per
 * command by the CLI, on the main thread. Stateless and thread-safe.
 *
 * <p>Jackson's YAML parser is used as a token stream rather than through data binding so that
 * every node keeps its line, and so that unknown fields and wrong types are reported all at once
 * with their lines instead of one exception at a time.
 */
public final class ConfigLoader {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  /**
   * Loads and validates the file. Relative paths inside it (certificates, rule files) are resolved
   * against the file's directory, as Prometheus does.
   *
   * @throws ConfigException naming every problem with file, line and field
   */
  public RaftwatchConfig load(Path file) throws ConfigException {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw single(source, "file not found");
    } catch (IOException e) {
      throw single(source, "cannot read the file: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(source, text, base);
  }

  /** Parses a description given as text; {@code base} resolves relative paths. */
  public RaftwatchConfig parse(String source, String text, Path base) throws ConfigException {
    YamlNode root;
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw single(source, "the file is empty; expected a mapping with 'clusters:'");
      }
      root = read(parser, source);
      if (parser.nextToken() != null) {
        throw new ConfigException(
            List.of(
                new ConfigProblem(
                    source, line(parser.currentTokenLocation()), "", "more than one YAML document")));
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  source, line(e.getLocation()), "", "not valid YAML: " + oneLine(e.getOriginalMessage()))));
    } catch (IOException e) {
      throw single(source, "cannot read: " + e.getMessage());
    }
    return new ConfigBinder(source, base).bind(root);
  }

  private static YamlNode read(JsonParser parser, String source) throws IOException, ConfigException {
    int line = line(parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line(parser.currentTokenLocation());
          parser.nextToken();
          YamlNode value = read(parser, source);
          if (entries.putIfAbsent(key, new YamlNode.Entry(key, keyLine, value)) != null) {
            throw new ConfigException(
                List.of(
                    new ConfigProblem(
                        source,
                        keyLine,
                        key,
                        "appears twice in the same mapping (first on line "
                            + entries.get(key).keyLine()
                            + ")")));
          }
        }
        return new YamlNode.Mapping(line, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, source));
        }
        return new YamlNode.Sequence(line, items);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(line, "null", true);
      }
      default -> {
        return new YamlNode.Scalar(line, parser.getText(), false);
      }
    }
  }

  /**
   * SnakeYAML's messages quote the source over several lines with carets; keep only its sentences
   * (the lines that do not start with a space), since the line number is reported separately.
   */
  private static String oneLine(String message) {
    return message.lines().filter(l -> !l.isBlank() && !l.startsWith(" "))
        .reduce((a, b) -> a + "; " + b).orElse(message.strip());
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(location.getLineNr(), 0);
  }

  private static ConfigException single(String source, String message) {
    return new ConfigException(List.of(new ConfigProblem(source, 0, "", message)));
  }
}
