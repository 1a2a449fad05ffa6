package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SampleBatch;
import io.raftwatch.collector.tsdb.Samples;
import io.raftwatch.collector.tsdb.SeriesLimitExceededException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A group of rules evaluated in order at one time, as Prometheus's {@code rules/group.go}: each
 * rule's samples are written to the sink, and a series a rule wrote last time but not this time
 * gets a staleness marker. A rule that fails keeps its error ({@link #lastError}) and the next rule
 * still runs. With a {@code query_offset} the rules see, and write, time {@code t - offset}.
 *
 * <p>Single-threaded: the scheduler (a Quartz job, or the unit-test runner) calls {@link #eval} for
 * one time after another, never concurrently; {@link #eval} reads no clock.
 */
public final class RuleGroup {
  private final String name;
  private final Path file;
  private final Duration interval;
  private final int limit;
  private final Duration queryOffset;
  private final List<Rule> rules;
  private final List<Set<Labels>> previousSeries = new ArrayList<>();
  private final Map<Rule, RuleEvaluationException> lastErrors = new LinkedHashMap<>();
  private final SampleBatch batch = new SampleBatch(256);

  /**
   * @param interval how often the group should be evaluated (the scheduler's business)
   * @param limit the most series (recording) or alerts (alerting) one rule may produce, 0 for none
   */
  public RuleGroup(
      String name,
      Path file,
      Duration interval,
      int limit,
      Duration queryOffset,
      List<Rule> rules) {
    this.name = name;
    this.file = file;
    this.interval = interval;
    this.limit = limit;
    this.queryOffset = queryOffset;
    this.rules = List.copyOf(rules);
    for (int i = 0; i < rules.size(); i++) {
      previousSeries.add(Set.of());
    }
  }

  public String name() {
    return name;
  }

  public Path file() {
    return file;
  }

  public Duration interval() {
    return interval;
  }

  public int limit() {
    return limit;
  }

  public Duration queryOffset() {
    return queryOffset;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The error of {@code rule}'s latest evaluation, if it failed. */
  public Optional<RuleEvaluationException> lastError(Rule rule) {
    return Optional.ofNullable(lastErrors.get(rule));
  }

  /**
   * Evaluates every rule at {@code t} (minus the query offset), in order, writing their samples and
   * staleness markers to {@code sink}.
   */
  public void eval(Instant t, QueryFunction query, SampleSink sink) {
    Instant at = t.minus(queryOffset);
    long ts = at.toEpochMilli();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      List<Sample> samples;
      try {
        samples = rule.eval(at, query, limit);
      } catch (RuleEvaluationException e) {
        lastErrors.put(rule, e);
        continue;
      }
      batch.clear();
      Set<Labels> written = new HashSet<>(samples.size() * 2);
      for (Sample s : samples) {
        batch.add(s.labels(), ts, s.value());
        written.add(s.labels());
      }
      for (Labels gone : previousSeries.get(i)) {
        if (!written.contains(gone)) {
          batch.add(gone, ts, Samples.STALE_NAN);
        }
      }
      try {
        sink.write(batch);
      } catch (SeriesLimitExceededException e) {
        lastErrors.put(rule, new RuleEvaluationException(e.getMessage(), e));
        continue;
      }
      lastErrors.remove(rule);
      previousSeries.set(i, written);
    }
  }
}
