package io.raftwatch.collector.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ConfigLoader} and {@link EndpointsConfig} when the cluster description has
 * mistakes; carries all of them, in file order, so the user fixes them in one round. The message
 * is one line per problem and never contains key material.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
