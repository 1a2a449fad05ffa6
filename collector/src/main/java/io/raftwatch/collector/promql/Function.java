package io.raftwatch.collector.promql;

import static io.raftwatch.collector.promql.ValueType.INSTANT_VECTOR;
import static io.raftwatch.collector.promql.ValueType.RANGE_VECTOR;
import static io.raftwatch.collector.promql.ValueType.SCALAR;
import static io.raftwatch.collector.promql.ValueType.STRING;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PromQL functions this engine knows, with their signatures as Prometheus's {@code
 * promql/parser/functions.go} declares them. {@link #variadic} follows Prometheus: 0 means exactly
 * the declared arguments, n &gt; 0 that up to n trailing ones may be left out, -1 that the last one
 * may repeat without limit.
 */
public enum Function {
  ABS("abs", List.of(INSTANT_VECTOR)),
  ABSENT("absent", List.of(INSTANT_VECTOR)),
  ABSENT_OVER_TIME("absent_over_time", List.of(RANGE_VECTOR)),
  ACOS("acos", List.of(INSTANT_VECTOR)),
  ACOSH("acosh", List.of(INSTANT_VECTOR)),
  ASIN("asin", List.of(INSTANT_VECTOR)),
  ASINH("asinh", List.of(INSTANT_VECTOR)),
  ATAN("atan", List.of(INSTANT_VECTOR)),
  ATANH("atanh", List.of(INSTANT_VECTOR)),
  AVG_OVER_TIME("avg_over_time", List.of(RANGE_VECTOR)),
  CEIL("ceil", List.of(INSTANT_VECTOR)),
  CHANGES("changes", List.of(RANGE_VECTOR)),
  CLAMP("clamp", List.of(INSTANT_VECTOR, SCALAR, SCALAR)),
  CLAMP_MAX("clamp_max", List.of(INSTANT_VECTOR, SCALAR)),
  CLAMP_MIN("clamp_min", List.of(INSTANT_VECTOR, SCALAR)),
  COS("cos", List.of(INSTANT_VECTOR)),
  COSH("cosh", List.of(INSTANT_VECTOR)),
  COUNT_OVER_TIME("count_over_time", List.of(RANGE_VECTOR)),
  DAYS_IN_MONTH("days_in_month", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  DAY_OF_MONTH("day_of_month", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  DAY_OF_WEEK("day_of_week", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  DAY_OF_YEAR("day_of_year", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  DEG("deg", List.of(INSTANT_VECTOR)),
  DELTA("delta", List.of(RANGE_VECTOR)),
  DERIV("deriv", List.of(RANGE_VECTOR)),
  EXP("exp", List.of(INSTANT_VECTOR)),
  FLOOR("floor", List.of(INSTANT_VECTOR)),
  HISTOGRAM_QUANTILE("histogram_quantile", List.of(SCALAR, INSTANT_VECTOR)),
  HOLT_WINTERS("holt_winters", List.of(RANGE_VECTOR, SCALAR, SCALAR)),
  HOUR("hour", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  IDELTA("idelta", List.of(RANGE_VECTOR)),
  INCREASE("increase", List.of(RANGE_VECTOR)),
  IRATE("irate", List.of(RANGE_VECTOR)),
  LABEL_JOIN("label_join", List.of(INSTANT_VECTOR, STRING, STRING, STRING), -1, INSTANT_VECTOR),
  LABEL_REPLACE("label_replace", List.of(INSTANT_VECTOR, STRING, STRING, STRING, STRING)),
  LAST_OVER_TIME("last_over_time", List.of(RANGE_VECTOR)),
  LN("ln", List.of(INSTANT_VECTOR)),
  LOG10("log10", List.of(INSTANT_VECTOR)),
  LOG2("log2", List.of(INSTANT_VECTOR)),
  MAX_OVER_TIME("max_over_time", List.of(RANGE_VECTOR)),
  MIN_OVER_TIME("min_over_time", List.of(RANGE_VECTOR)),
  MINUTE("minute", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  MONTH("month", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR),
  PI("pi", List.of(), 0, SCALAR),
  PREDICT_LINEAR("predict_linear", List.of(RANGE_VECTOR, SCALAR)),
  PRESENT_OVER_TIME("present_over_time", List.of(RANGE_VECTOR)),
  QUANTILE_OVER_TIME("quantile_over_time", List.of(SCALAR, RANGE_VECTOR)),
  RAD("rad", List.of(INSTANT_VECTOR)),
  RATE("rate", List.of(RANGE_VECTOR)),
  RESETS("resets", List.of(RANGE_VECTOR)),
  ROUND("round", List.of(INSTANT_VECTOR, SCALAR), 1, INSTANT_VECTOR),
  SCALAR_FN("scalar", List.of(INSTANT_VECTOR), 0, SCALAR),
  SGN("sgn", List.of(INSTANT_VECTOR)),
  SIN("sin", List.of(INSTANT_VECTOR)),
  SINH("sinh", List.of(INSTANT_VECTOR)),
  SORT("sort", List.of(INSTANT_VECTOR)),
  SORT_DESC("sort_desc", List.of(INSTANT_VECTOR)),
  SQRT("sqrt", List.of(INSTANT_VECTOR)),
  STDDEV_OVER_TIME("stddev_over_time", List.of(RANGE_VECTOR)),
  STDVAR_OVER_TIME("stdvar_over_time", List.of(RANGE_VECTOR)),
  SUM_OVER_TIME("sum_over_time", List.of(RANGE_VECTOR)),
  TAN("tan", List.of(INSTANT_VECTOR)),
  TANH("tanh", List.of(INSTANT_VECTOR)),
  TIME("time", List.of(), 0, SCALAR),
  TIMESTAMP("timestamp", List.of(INSTANT_VECTOR)),
  VECTOR("vector", List.of(SCALAR)),
  YEAR("year", List.of(INSTANT_VECTOR), 1, INSTANT_VECTOR);

  private static final Map<String, Function> BY_NAME = new HashMap<>();

  static {
    for (Function f : values()) {
      BY_NAME.put(f.promqlName, f);
    }
  }

  private final String promqlName;
  private final List<ValueType> argTypes;
  private final int variadic;
  private final ValueType returnType;

  Function(String promqlName, List<ValueType> argTypes) {
    this(promqlName, argTypes, 0, INSTANT_VECTOR);
  }

  Function(String promqlName, List<ValueType> argTypes, int variadic, ValueType returnType) {
    this.promqlName = promqlName;
    this.argTypes = argTypes;
    this.variadic = variadic;
    this.returnType = returnType;
  }

  /** The function's name as written in PromQL (case-sensitive, as in Prometheus). */
  public String promqlName() {
    return promqlName;
  }

  /** The declared argument types, optional trailing ones included. */
  public List<ValueType> argTypes() {
    return argTypes;
  }

  /** See the class comment. */
  public int variadic() {
    return variadic;
  }

  /** The type of the call's result. */
  public ValueType returnType() {
    return returnType;
  }

  /** The function named {@code name}, or null. */
  static Function byName(String name) {
    return BY_NAME.get(name);
  }
}
