package io.raftwatch.collector.promql;

/**
 * The functions over one series' points in a range ({@code rate}, {@code *_over_time}, ...), as
 * Prometheus 2.42's {@code promql/functions.go} computes them, reading the points in place from a
 * {@link SeriesWindow}. {@link #compute} answers whether the function yields a value for the window
 * and leaves it in {@link #result}, so that no value is boxed. One instance per {@link Evaluator};
 * single-threaded.
 */
final class RangeFunctions {
  /** The value of the last successful {@link #compute}. */
  double result;

  /**
   * Computes {@code f} over {@code w}, a window of {@code rangeMillis} ending at {@code rangeEnd};
   * {@code evalT} is the evaluation time and {@code arg0}, {@code arg1} the scalar arguments
   * (quantile, prediction horizon, holt_winters factors).
   *
   * @return whether there is a value; false drops the series from the output, as in Prometheus
   */
  boolean compute(
      Function f,
      SeriesWindow w,
      long rangeEnd,
      long rangeMillis,
      long evalT,
      double arg0,
      double arg1) {
    int n = w.size();
    if (n == 0) {
      return false;
    }
    switch (f) {
      case RATE -> {
        return extrapolatedRate(w, rangeEnd - rangeMillis, rangeEnd, rangeMillis, true, true);
      }
      case INCREASE -> {
        return extrapolatedRate(w, rangeEnd - rangeMillis, rangeEnd, rangeMillis, true, false);
      }
      case DELTA -> {
        return extrapolatedRate(w, rangeEnd - rangeMillis, rangeEnd, rangeMillis, false, false);
      }
      case IRATE -> {
        return instantValue(w, true);
      }
      case IDELTA -> {
        return instantValue(w, false);
      }
      case DERIV -> {
        if (n < 2) {
          return false;
        }
        linearRegression(w, w.firstTime());
        result = slope;
        return true;
      }
      case PREDICT_LINEAR -> {
        if (n < 2) {
          return false;
        }
        linearRegression(w, evalT);
        result = slope * arg0 + intercept;
        return true;
      }
      case HOLT_WINTERS -> {
        return holtWinters(w, arg0, arg1);
      }
      case CHANGES -> {
        int changes = 0;
        double prev = w.first();
        for (int i = w.from + 1; i < w.to; i++) {
          double cur = w.values[i];
          if (!(cur == prev || (Double.isNaN(cur) && Double.isNaN(prev)))) {
            changes++;
          }
          prev = cur;
        }
        result = changes;
        return true;
      }
      case RESETS -> {
        int resets = 0;
        double prev = w.first();
        for (int i = w.from + 1; i < w.to; i++) {
          double cur = w.values[i];
          if (cur < prev) {
            resets++;
          }
          prev = cur;
        }
        result = resets;
        return true;
      }
      case AVG_OVER_TIME -> {
        // An incremental mean (no overflow), compensated; an infinite mean stays as it is.
        sum = 0;
        compensation = 0;
        double count = 0;
        for (int i = w.from; i < w.to; i++) {
          double v = w.values[i];
          count++;
          if (Double.isInfinite(sum)) {
            if (Double.isInfinite(v) && (sum > 0) == (v > 0)) {
              continue;
            }
            if (!Double.isInfinite(v) && !Double.isNaN(v)) {
              continue;
            }
          }
          kahanAdd(v / count - sum / count);
        }
        result = Double.isInfinite(sum) ? sum : sum + compensation;
        return true;
      }
      case SUM_OVER_TIME -> {
        // 2.42 sums *_over_time with Kahan-Neumaier compensation (unlike the aggregators).
        sum = 0;
        compensation = 0;
        for (int i = w.from; i < w.to; i++) {
          kahanAdd(w.values[i]);
        }
        result = sum + compensation;
        return true;
      }
      case COUNT_OVER_TIME -> {
        result = n;
        return true;
      }
      case MAX_OVER_TIME -> {
        double max = w.first();
        for (int i = w.from; i < w.to; i++) {
          double v = w.values[i];
          if (v > max || Double.isNaN(max)) {
            max = v;
          }
        }
        result = max;
        return true;
      }
      case MIN_OVER_TIME -> {
        double min = w.first();
        for (int i = w.from; i < w.to; i++) {
          double v = w.values[i];
          if (v < min || Double.isNaN(min)) {
            min = v;
          }
        }
        result = min;
        return true;
      }
      case LAST_OVER_TIME -> {
        result = w.last();
        return true;
      }
      case PRESENT_OVER_TIME -> {
        result = 1;
        return true;
      }
      case QUANTILE_OVER_TIME -> {
        double[] copy = new double[n];
        System.arraycopy(w.values, w.from, copy, 0, n);
        result = Aggregations.quantile(arg0, copy);
        return true;
      }
      case STDDEV_OVER_TIME, STDVAR_OVER_TIME -> {
        // Welford's method with both running sums compensated, as 2.42 does.
        double count = 0;
        double mean = 0;
        double meanC = 0;
        double aux = 0;
        double auxC = 0;
        for (int i = w.from; i < w.to; i++) {
          double v = w.values[i];
          count++;
          double delta = v - (mean + meanC);
          sum = mean;
          compensation = meanC;
          kahanAdd(delta / count);
          mean = sum;
          meanC = compensation;
          sum = aux;
          compensation = auxC;
          kahanAdd(delta * (v - (mean + meanC)));
          aux = sum;
          auxC = compensation;
        }
        double variance = (aux + auxC) / count;
        result = f == Function.STDVAR_OVER_TIME ? variance : Math.sqrt(variance);
        return true;
      }
      default -> throw new IllegalStateException("not a range function: " + f.promqlName());
    }
  }

  /**
   * Prometheus 2.42's {@code extrapolatedRate}: the increase between the first and last point,
   * corrected for counter resets, extrapolated towards the range boundaries — all the way when the
   * gap to a boundary is under 1.1 average sample intervals, else by half an interval — and for
   * counters never past the point where the counter would have been zero.
   */
  private boolean extrapolatedRate(
      SeriesWindow w,
      long rangeStart,
      long rangeEnd,
      long rangeMillis,
      boolean isCounter,
      boolean isRate) {
    int n = w.size();
    if (n < 2) {
      return false;
    }
    double first = w.first();
    double value = w.last() - first;
    if (isCounter) {
      double last = 0;
      for (int i = w.from; i < w.to; i++) {
        double v = w.values[i];
        if (v < last) {
          value += last;
        }
        last = v;
      }
    }
    double durationToStart = (w.firstTime() - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - w.lastTime()) / 1000.0;
    double sampledInterval = (w.lastTime() - w.firstTime()) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    if (isCounter && value > 0 && first >= 0) {
      double durationToZero = sampledInterval * (first / value);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    double extrapolateToInterval = sampledInterval;
    extrapolateToInterval +=
        durationToStart < extrapolationThreshold
            ? durationToStart
            : averageDurationBetweenSamples / 2;
    extrapolateToInterval +=
        durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
    // NB: 2.42 scales by one factor; value/interval/range would differ in the last bit.
    double factor = extrapolateToInterval / sampledInterval;
    if (isRate) {
      factor /= rangeMillis / 1000.0;
    }
    result = value * factor;
    return true;
  }

  /** Prometheus's {@code instantValue}: irate and idelta from the last two points. */
  private boolean instantValue(SeriesWindow w, boolean isRate) {
    if (w.size() < 2) {
      return false;
    }
    double last = w.last();
    double previous = w.values[w.to - 2];
    long interval = w.lastTime() - w.timestamps[w.to - 2];
    double value = isRate && last < previous ? last : last - previous;
    if (interval == 0) {
      return false;
    }
    if (isRate) {
      value /= interval / 1000.0;
    }
    result = value;
    return true;
  }

  // Kahan-Neumaier accumulator: kahanAdd adds to sum, keeping the lost low bits in compensation.
  private double sum;
  private double compensation;

  private void kahanAdd(double inc) {
    double t = sum + inc;
    compensation += lostBits(sum, inc, t);
    sum = t;
  }

  private double slope;
  private double intercept;

  /**
   * Least-squares fit of value against seconds since {@code interceptTime}, into slope and
   * intercept; the four sums are compensated (Kahan-Neumaier), as in 2.42.
   */
  private void linearRegression(SeriesWindow w, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = w.first();
    boolean constY = true;
    for (int i = w.from; i < w.to; i++) {
      double v = w.values[i];
      if (constY && i > w.from && v != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (w.timestamps[i] - interceptTime) / 1e3;
      double t = sumX + x;
      cX += lostBits(sumX, x, t);
      sumX = t;
      t = sumY + v;
      cY += lostBits(sumY, v, t);
      sumY = t;
      t = sumXY + x * v;
      cXY += lostBits(sumXY, x * v, t);
      sumXY = t;
      t = sumX2 + x * x;
      cX2 += lostBits(sumX2, x * x, t);
      sumX2 = t;
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        slope = Double.NaN;
        intercept = Double.NaN;
      } else {
        slope = 0;
        intercept = initY;
      }
      return;
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    slope = covXY / varX;
    intercept = sumY / n - slope * sumX / n;
  }

  /** Neumaier's correction: what {@code t = sum + inc} lost to rounding. */
  private static double lostBits(double sum, double inc, double t) {
    return Math.abs(sum) >= Math.abs(inc) ? (sum - t) + inc : (inc - t) + sum;
  }

  /** Prometheus's {@code funcHoltWinters}: double exponential smoothing. */
  private boolean holtWinters(SeriesWindow w, double sf, double tf) {
    if (sf <= 0 || sf >= 1) {
      throw new PromqlEvalException(
          "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new PromqlEvalException(
          "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", tf));
    }
    if (w.size() < 2) {
      return false;
    }
    double s0 = 0;
    double s1 = w.first();
    double b = w.values[w.from + 1] - w.first();
    for (int i = 1; i < w.size(); i++) {
      double x = sf * w.values[w.from + i];
      if (i > 1) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    result = s1;
    return true;
  }
}
