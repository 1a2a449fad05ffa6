package io.raftwatch.raftkv.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings as text, before typing, each with where it came from (a flag, an {@code ETCD_*}
 * variable or a config-file key) so that errors can name it. Reads the three sources the way etcd
 * 3.4 does: flags first, then environment variables for flags not on the command line (refusing a
 * variable that duplicates a given flag), and a {@code --config-file} replaces both.
 */
final class RawSettings {
  private static final Logger log = LoggerFactory.getLogger(RawSettings.class);

  static final Set<String> BOOLEANS =
      Set.of("client-cert-auth", "peer-client-cert-auth", "pre-vote");
  static final Set<String> NAMES =
      Set.of(
          "name",
          "data-dir",
          "listen-client-urls",
          "advertise-client-urls",
          "listen-peer-urls",
          "initial-advertise-peer-urls",
          "initial-cluster",
          "initial-cluster-state",
          "initial-cluster-token",
          "cert-file",
          "key-file",
          "trusted-ca-file",
          "client-cert-auth",
          "peer-cert-file",
          "peer-key-file",
          "peer-trusted-ca-file",
          "peer-client-cert-auth",
          "listen-metrics-urls",
          "metrics",
          "heartbeat-interval",
          "election-timeout",
          "snapshot-count",
          "quota-backend-bytes",
          "auto-compaction-mode",
          "auto-compaction-retention",
          "max-request-bytes",
          "log-level",
          "logger",
          "log-outputs",
          "pre-vote",
          "config-file");
  private static final Set<String> TLS_KEYS =
      Set.of("cert-file", "key-file", "trusted-ca-file", "client-cert-auth");

  /** A setting's text and where it was read, for error messages. */
  record Value(String text, String origin) {}

  private final Map<String, Value> values = new LinkedHashMap<>();

  Value get(String name) {
    return values.get(name);
  }

  static RawSettings read(String[] args, Map<String, String> env) throws ConfigException {
    RawSettings flags = fromFlags(args);
    flags.applyEnv(env);
    Value file = flags.get("config-file");
    if (file == null) {
      return flags;
    }
    if (flags.values.size() > 1) {
      log.warn("--config-file is set: other flags and ETCD_* variables are ignored");
    }
    return fromFile(Path.of(file.text()), file.origin());
  }

  private static RawSettings fromFlags(String[] args) throws ConfigException {
    RawSettings s = new RawSettings();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        if (i + 1 < args.length) {
          throw new ConfigException("'" + args[i + 1] + "' is not a valid flag");
        }
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        throw new ConfigException("'" + arg + "' is not a valid flag");
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      if (!NAMES.contains(name)) {
        throw new ConfigException("flag provided but not defined: -" + name);
      }
      String text;
      if (eq >= 0) {
        text = body.substring(eq + 1);
      } else if (BOOLEANS.contains(name)) {
        text = "true";
      } else if (i + 1 < args.length) {
        text = args[++i];
      } else {
        throw new ConfigException("flag needs an argument: -" + name);
      }
      s.values.put(name, new Value(text, "--" + name));
    }
    return s;
  }

  private void applyEnv(Map<String, String> env) throws ConfigException {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith("ETCD_")) {
        continue;
      }
      String name = key.substring(5).toLowerCase(Locale.ROOT).replace('_', '-');
      if (!NAMES.contains(name)) {
        log.warn("unrecognized environment variable {}", key);
        continue;
      }
      if (values.containsKey(name)) {
        throw new ConfigException(
            "conflicting environment variable \""
                + key
                + "\" is shadowed by corresponding command-line flag (either unset environment"
                + " variable or disable flag)");
      }
      values.put(name, new Value(e.getValue(), key));
    }
  }

  private static RawSettings fromFile(Path file, String origin) throws ConfigException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          file
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not valid YAML: "
              + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(
          origin + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    RawSettings s = new RawSettings();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return s;
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": expected a YAML mapping of etcd settings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      switch (e.getKey()) {
        case "client-transport-security" -> s.putSection(file, e.getKey(), e.getValue(), "");
        case "peer-transport-security" -> s.putSection(file, e.getKey(), e.getValue(), "peer-");
        default -> s.putKey(file, e.getKey(), e.getKey(), e.getValue());
      }
    }
    return s;
  }

  private void putSection(Path file, String section, JsonNode node, String prefix)
      throws ConfigException {
    if (node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(file + ": " + section + " must be a mapping");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (TLS_KEYS.contains(e.getKey())) {
        putKey(file, section + "." + e.getKey(), prefix + e.getKey(), e.getValue());
      } else {
        log.warn("{}: {}.{} is not supported and is ignored", file, section, e.getKey());
      }
    }
  }

  private void putKey(Path file, String key, String name, JsonNode node) throws ConfigException {
    if (!NAMES.contains(name) || name.equals("config-file")) {
      log.warn("{}: {} is not supported and is ignored", file, key);
      return;
    }
    if (node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return;
    }
    String text;
    if (node.isArray()) {
      StringBuilder b = new StringBuilder();
      for (JsonNode item : node) {
        b.append(b.length() == 0 ? "" : ",").append(item.asText());
      }
      text = b.toString();
    } else if (node.isValueNode()) {
      text = node.asText();
    } else {
      throw new ConfigException(file + ": " + key + " must be a single value");
    }
    values.put(name, new Value(text, file + ": " + key));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
