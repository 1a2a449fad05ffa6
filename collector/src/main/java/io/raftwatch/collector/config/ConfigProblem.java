package io.raftwatch.collector.config;

/**
 * One mistake in a cluster description: where it is and what was expected. Rendered as {@code
 * raftwatch.yaml:7: clusters[0].members[1].url: 'htps://10.0.0.1:2379' is not an http(s) URL}.
 *
 * @param source the file name as the user gave it, or the flag (e.g. {@code --endpoints})
 * @param line 1-based line in {@code source}, or 0 when the problem has no line (flags)
 * @param field the path of the field, e.g. {@code clusters[0].members[1].url}; empty for the
 *     whole file
 * @param message what is wrong, saying what was expected
 */
public record ConfigProblem(String source, int line, String field, String message) {

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (!field.isEmpty()) {
      text.append(field).append(": ");
    }
    return text.append(message).toString();
  }
}
