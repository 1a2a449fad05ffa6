package io.raftwatch.raftkv.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A data-driven test script (etcd-io/raft testdata style): comment lines, then commands each
 * followed by {@code ----} and their expected output, ended by a blank line.
 *
 * <pre>
 * # What the scenario shows.
 * campaign 1
 * ----
 * INFO 1 is starting a new election at term 0
 * </pre>
 */
record ScriptFile(Path path, List<Case> cases) {

  /** One command, the comment lines before it, and the output it is expected to print. */
  record Case(List<String> comments, String command, int line, String expected) {}

  static ScriptFile read(Path path) throws IOException {
    List<String> lines = Files.readAllLines(path);
    List<Case> cases = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String l = lines.get(i);
      if (l.isBlank() || l.startsWith("#")) {
        comments.add(l);
        i++;
        continue;
      }
      int commandLine = i + 1;
      if (i + 1 >= lines.size() || !lines.get(i + 1).equals("----")) {
        throw new IllegalArgumentException(path + ":" + commandLine + ": expected ---- after '" + l + "'");
      }
      i += 2;
      StringBuilder out = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isEmpty()) {
        out.append(lines.get(i)).append('\n');
        i++;
      }
      i++; // the blank line that ends the output
      cases.add(new Case(List.copyOf(comments), l, commandLine, out.toString()));
      comments.clear();
    }
    return new ScriptFile(path, cases);
  }

  /** The script with every expected output replaced by {@code actual}, in order. */
  String rewrite(List<String> actual) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      for (String comment : c.comments()) {
        b.append(comment).append('\n');
      }
      b.append(c.command()).append('\n').append("----\n").append(actual.get(i)).append('\n');
    }
    return b.toString();
  }
}
