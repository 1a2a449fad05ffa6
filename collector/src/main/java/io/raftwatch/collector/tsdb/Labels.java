package io.raftwatch.collector.tsdb;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable set of label name/value pairs identifying one series, sorted by name, the metric
 * name included as the label {@code __name__}.
 *
 * <p>As in Prometheus, a label whose value is empty does not exist: {@link Builder#set} with ""
 * removes it and {@link #get} answers "" for a missing label. Instances are safe to share between
 * threads. Equal sets are interchangeable; the store keeps one canonical instance per series (see
 * {@link SeriesStore#intern}) and the exposition parser reuses one instance per series text across
 * scrapes, so {@link #equals} first tries identity and the hash is computed once.
 */
public final class Labels implements Comparable<Labels> {
  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  /** The set with no labels. */
  public static final Labels EMPTY = new Labels(new String[0]);

  // Invariant: names at even indexes, strictly ascending; values at odd indexes, never empty.
  private final String[] pairs;
  private final int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
    this.hash = Arrays.hashCode(pairs);
  }

  /**
   * Labels from alternating names and values: {@code Labels.of("__name__", "up", "job", "etcd")}.
   * Later duplicates win; empty values are dropped.
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Labels.of needs name/value pairs, got an odd count");
    }
    Builder b = new Builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** Labels from a map of names to values; empty values are dropped. */
  public static Labels of(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  /** A builder for a new set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this set. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.map.put(pairs[i], pairs[i + 1]);
    }
    return b;
  }

  /** The value of the label {@code name}, or "" when this set has no such label. */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : pairs[i + 1];
  }

  /** Whether this set has a label {@code name}. */
  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** The metric name (the value of {@code __name__}), or "" when there is none. */
  public String name() {
    return get(METRIC_NAME);
  }

  /** The number of labels, {@code __name__} included. */
  public int size() {
    return pairs.length / 2;
  }

  /** Whether this set has no labels. */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /** The name of the {@code i}-th label in sorted order. */
  public String nameAt(int i) {
    return pairs[2 * i];
  }

  /** The value of the {@code i}-th label in sorted order. */
  public String valueAt(int i) {
    return pairs[2 * i + 1];
  }

  /** Calls {@code action} with each name and value, in name order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** A copy without the given labels (PromQL {@code without (...)}). */
  public Labels without(String... names) {
    return without(Arrays.asList(names));
  }

  /** A copy without the given labels (PromQL {@code without (...)}). */
  public Labels without(Collection<String> names) {
    return filter(names, false);
  }

  /** A copy with only the given labels (PromQL {@code by (...)}). */
  public Labels keep(String... names) {
    return keep(Arrays.asList(names));
  }

  /** A copy with only the given labels (PromQL {@code by (...)}). */
  public Labels keep(Collection<String> names) {
    return filter(names, true);
  }

  /** A copy without {@code __name__}, as PromQL functions and operators drop it. */
  public Labels withoutName() {
    return has(METRIC_NAME) ? filter(List.of(METRIC_NAME), false) : this;
  }

  private Labels filter(Collection<String> names, boolean keep) {
    Set<String> set = names instanceof Set<String> s ? s : Set.copyOf(names);
    String[] out = new String[pairs.length];
    int n = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (set.contains(pairs[i]) == keep) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Labels(Arrays.copyOf(out, n));
  }

  private int indexOf(String name) {
    // Binary search over the even slots; label sets are small, but the store calls this a lot.
    int lo = 0;
    int hi = pairs.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c == 0) {
        return 2 * mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Labels other && hash == other.hash && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * Orders as Prometheus's {@code labels.Compare}: label by label, first by name then by value; a
   * set that is a prefix of another sorts first.
   */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  /** Prometheus form: {@code up{instance="a", job="b"}}, values escaped as Go's %q does. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String name = name();
    sb.append(name).append('{');
    boolean first = true;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(pairs[i]).append("=\"");
      appendEscaped(sb, pairs[i + 1]);
      sb.append('"');
    }
    if (first && !name.isEmpty()) {
      sb.setLength(sb.length() - 1);
      return sb.toString();
    }
    return sb.append('}').toString();
  }

  private static void appendEscaped(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  /**
   * Builds a {@link Labels}; not thread-safe. Setting a label to "" removes it, as in Prometheus.
   */
  public static final class Builder {
    private final TreeMap<String, String> map = new TreeMap<>();

    private Builder() {}

    /** Sets {@code name} to {@code value}; an empty value removes the label. */
    public Builder set(String name, String value) {
      if (value == null || value.isEmpty()) {
        map.remove(name);
      } else {
        map.put(name, value);
      }
      return this;
    }

    /** Removes {@code name} if present. */
    public Builder remove(String name) {
      map.remove(name);
      return this;
    }

    /** The value currently set for {@code name}, or "". */
    public String get(String name) {
      return map.getOrDefault(name, "");
    }

    /** A new immutable set with the labels set so far. */
    public Labels build() {
      if (map.isEmpty()) {
        return EMPTY;
      }
      String[] pairs = new String[map.size() * 2];
      int i = 0;
      for (Map.Entry<String, String> e : map.entrySet()) {
        pairs[i++] = e.getKey();
        pairs[i++] = e.getValue();
      }
      return new Labels(pairs);
    }
  }

  /**
   * Labels from alternating names and values, taking ownership of the array (the caller must not
   * change it afterwards). Pairs already sorted by name without empty values or duplicates are used
   * as they are, which is the exposition parser's hot path; anything else goes through a {@link
   * Builder} with its rules (later duplicates win, empty values dropped).
   */
  public static Labels ofPairs(String[] namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Labels.ofPairs needs name/value pairs, got an odd count");
    }
    boolean canonical = true;
    for (int i = 0; i < namesAndValues.length && canonical; i += 2) {
      canonical =
          !namesAndValues[i + 1].isEmpty()
              && (i == 0 || namesAndValues[i - 2].compareTo(namesAndValues[i]) < 0);
    }
    return canonical ? new Labels(namesAndValues) : of(namesAndValues);
  }
}
