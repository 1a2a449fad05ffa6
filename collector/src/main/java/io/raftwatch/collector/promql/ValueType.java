package io.raftwatch.collector.promql;

/** The four types a PromQL expression can have, named as Prometheus's messages name them. */
public enum ValueType {
  SCALAR("scalar"),
  INSTANT_VECTOR("instant vector"),
  RANGE_VECTOR("range vector"),
  STRING("string");

  private final String documentedName;

  ValueType(String documentedName) {
    this.documentedName = documentedName;
  }

  /** The name used in error messages: "instant vector", "range vector", "scalar", "string". */
  public String documentedName() {
    return documentedName;
  }
}
