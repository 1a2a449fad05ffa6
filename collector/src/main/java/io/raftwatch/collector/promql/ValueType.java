package io.raftwatch.collector.promql;

/** The four types a PromQL expression can have, named as Prometheus's messages name them. */
public enum ValueType {
  SCALAR("scalar", "scalar"),
  INSTANT_VECTOR("instant vector", "vector"),
  RANGE_VECTOR("range vector", "matrix"),
  STRING("string", "string");

  private final String documentedName;
  private final String internalName;

  ValueType(String documentedName, String internalName) {
    this.documentedName = documentedName;
    this.internalName = internalName;
  }

  /** Prometheus's internal name, used by a few of its messages: "vector", "matrix", ... */
  public String internalName() {
    return internalName;
  }

  /** The name used in error messages: "instant vector", "range vector", "scalar", "string". */
  public String documentedName() {
    return documentedName;
  }
}
