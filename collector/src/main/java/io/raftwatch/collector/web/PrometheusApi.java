package io.raftwatch.collector.web;

import io.raftwatch.collector.promql.Engine;
import io.raftwatch.collector.promql.EngineOptions;
import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.PromqlEvalException;
import io.raftwatch.collector.promql.QueryLimitException;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.promql.ValueType;
import io.raftwatch.collector.tsdb.LabelMatcher;
import io.raftwatch.collector.tsdb.Labels;
import io.raftwatch.collector.tsdb.SeriesReader;
import io.raftwatch.collector.tsdb.SeriesView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query half of Prometheus's HTTP API over the collector's series, so that Grafana (and {@code
 * raftwatch check --prometheus}) can use the collector as a Prometheus data source: {@code
 * /api/v1/query}, {@code query_range}, {@code series}, {@code labels}, {@code label/NAME/values}
 * and {@code status/buildinfo}, with Prometheus 2.42's parameters, defaults, limits, result
 * encoding and error types. Each query runs on the calling worker thread in a fresh {@link Engine}
 * whose timeout is the smaller of the configured one and the request's {@code timeout}.
 * Stateless apart from its collaborators; thread-safe.
 */
public final class PrometheusApi {
  /** Prometheus refuses range queries with more points per series than this. */
  static final long MAX_POINTS = 11_000;

  private static final Set<String> GET_POST = Set.of("GET", "POST");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  // The series API's default range, as Prometheus's minTime/maxTime, in milliseconds.
  private static final long MIN_TIME = Long.MIN_VALUE / 2;
  private static final long MAX_TIME = Long.MAX_VALUE / 2;

  private final SeriesReader reader;
  private final EngineOptions options;
  private final Clock clock;
  private final String version;

  /**
   * @param reader the collected series
   * @param options the engine settings (lookback, timeout cap, sample limit)
   * @param clock gives the default time of an instant query
   * @param version raftwatch's version, for {@code status/buildinfo}
   */
  public PrometheusApi(SeriesReader reader, EngineOptions options, Clock clock, String version) {
    this.reader = reader;
    this.options = options;
    this.clock = clock;
    this.version = version;
  }

  /** Adds the endpoints to {@code server}. */
  public void register(WebServer.Builder server) {
    server
        .route("/api/v1/query", GET_POST, this::query)
        .route("/api/v1/query_range", GET_POST, this::queryRange)
        .route("/api/v1/series", GET_POST, this::series)
        .route("/api/v1/labels", GET_POST, this::labels)
        .prefixRoute("/api/v1/label/", "/api/v1/label/:name/values", Set.of("GET"), this::values)
        .route("/api/v1/status/buildinfo", Set.of("GET"), this::buildInfo);
  }

  WebResponse query(WebRequest r) throws ApiException {
    Instant time = ApiParams.time(r, "time", clock.instant());
    Engine engine = engine(r);
    Expr expr = ApiParams.query(r, "query");
    Value value = run(() -> engine.instantQuery(expr, time));
    return PromJson.success(g -> PromJson.writeResult(g, value));
  }

  WebResponse queryRange(WebRequest r) throws ApiException {
    Instant start = ApiParams.parseTime("start", r.param("start"));
    Instant end = ApiParams.parseTime("end", r.param("end"));
    if (end.isBefore(start)) {
      throw ApiException.invalidParam("end", "end timestamp must not be before start time");
    }
    Duration step = ApiParams.parseDuration("step", r.param("step"));
    if (step.toMillis() <= 0) {
      throw ApiException.invalidParam(
          "step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (Duration.between(start, end).toMillis() / step.toMillis() > MAX_POINTS) {
      throw new ApiException(
          ApiException.ErrorType.BAD_DATA,
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    Engine engine = engine(r);
    Expr expr = ApiParams.query(r, "query");
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.INSTANT_VECTOR) {
      throw ApiException.invalidParam(
          "query",
          "invalid expression type \""
              + expr.type().documentedName()
              + "\" for range query, must be Scalar or instant Vector");
    }
    Value value = run(() -> engine.rangeQuery(expr, start, end, step));
    return PromJson.success(g -> PromJson.writeResult(g, value));
  }

  WebResponse series(WebRequest r) throws ApiException {
    List<List<LabelMatcher>> sets = ApiParams.matchers(r);
    if (sets.isEmpty()) {
      throw new ApiException(ApiException.ErrorType.BAD_DATA, "no match[] parameter provided");
    }
    long start = ApiParams.time(r, "start", Instant.ofEpochMilli(MIN_TIME)).toEpochMilli();
    long end = ApiParams.time(r, "end", Instant.ofEpochMilli(MAX_TIME)).toEpochMilli();
    TreeSet<Labels> found = new TreeSet<>();
    for (List<LabelMatcher> set : sets) {
      for (SeriesView s : reader.select(start, end, set)) {
        found.add(s.labels());
      }
    }
    return PromJson.success(
        g -> {
          g.writeStartArray();
          for (Labels l : found) {
            PromJson.writeLabels(g, l);
          }
          g.writeEndArray();
        });
  }

  WebResponse labels(WebRequest r) throws ApiException {
    List<List<LabelMatcher>> sets = ApiParams.matchers(r);
    checkRange(r);
    TreeSet<String> names = new TreeSet<>();
    if (sets.isEmpty()) {
      names.addAll(reader.labelNames(List.of()));
    }
    for (List<LabelMatcher> set : sets) {
      names.addAll(reader.labelNames(set));
    }
    return strings(names);
  }

  WebResponse values(WebRequest r) throws ApiException {
    String rest = r.path().substring("/api/v1/label/".length());
    if (!rest.endsWith("/values")) {
      throw new ApiException(ApiException.ErrorType.NOT_FOUND, "no endpoint " + r.path());
    }
    String name = rest.substring(0, rest.length() - "/values".length());
    if (!LABEL_NAME.matcher(name).matches()) {
      throw new ApiException(
          ApiException.ErrorType.BAD_DATA, "invalid label name: \"" + name + "\"");
    }
    List<List<LabelMatcher>> sets = ApiParams.matchers(r);
    checkRange(r);
    TreeSet<String> values = new TreeSet<>();
    if (sets.isEmpty()) {
      values.addAll(reader.labelValues(name, List.of()));
    }
    for (List<LabelMatcher> set : sets) {
      values.addAll(reader.labelValues(name, set));
    }
    return strings(values);
  }

  WebResponse buildInfo(WebRequest r) {
    return PromJson.success(
        g -> {
          g.writeStartObject();
          g.writeStringField("version", version);
          g.writeStringField("revision", "");
          g.writeStringField("branch", "");
          g.writeStringField("buildUser", "raftwatch");
          g.writeStringField("buildDate", "");
          g.writeStringField("goVersion", "java" + Runtime.version().feature());
          g.writeEndObject();
        });
  }

  /**
   * Checks {@code start} and {@code end} parse, as Prometheus does; the names and values come from
   * every stored series whatever the range, as they do from Prometheus's head block.
   */
  private static void checkRange(WebRequest r) throws ApiException {
    ApiParams.time(r, "start", Instant.EPOCH);
    ApiParams.time(r, "end", Instant.EPOCH);
  }

  private static WebResponse strings(TreeSet<String> values) {
    return PromJson.success(
        g -> {
          g.writeStartArray();
          for (String v : values) {
            g.writeString(v);
          }
          g.writeEndArray();
        });
  }

  private Engine engine(WebRequest r) throws ApiException {
    Duration timeout = options.timeout();
    if (!r.param("timeout").isEmpty()) {
      Duration asked = ApiParams.parseDuration("timeout", r.param("timeout"));
      if (asked.compareTo(timeout) < 0 && !asked.isNegative() && !asked.isZero()) {
        timeout = asked;
      }
    }
    return new Engine(reader, options.withTimeout(timeout));
  }

  private interface Query {
    Value run();
  }

  private static Value run(Query q) throws ApiException {
    try {
      return q.run();
    } catch (QueryLimitException e) {
      boolean timedOut = e.getMessage().contains("timed out");
      throw new ApiException(
          timedOut ? ApiException.ErrorType.TIMEOUT : ApiException.ErrorType.EXECUTION,
          e.getMessage());
    } catch (PromqlEvalException e) {
      throw new ApiException(ApiException.ErrorType.EXECUTION, e.getMessage());
    }
  }
}
