package io.raftwatch.collector.rules;

import java.nio.file.Path;

/**
 * A rule file that cannot be used: unreadable, not YAML, or a rule that does not validate. The
 * message names the file and line, and the group and rule when there is one, as {@code promtool
 * check rules} does: {@code etcd.rules.yaml:12: group "etcd", rule 3, "etcdNoLeader": could not
 * parse expression: ...}.
 */
public final class RuleFileException extends Exception {
  public RuleFileException(Path file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
  }
}
