package io.raftwatch.collector.config;

import java.util.Objects;

/**
 * A password or token from the configuration. Its {@link #toString()} never shows the value, so
 * a record holding one can be logged or printed in an error message safely. Immutable.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The value itself; only for the one place that puts it on the wire. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "<secret>";
  }
}
