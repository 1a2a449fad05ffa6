package io.raftwatch.collector.exposition;

import io.raftwatch.collector.exposition.SeriesCache.LabelFact;
import io.raftwatch.collector.tsdb.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Parses a scrape body in the Prometheus text format 0.0.4 or OpenMetrics 1.0 text into a {@link
 * ParsedScrape}, all or nothing: a malformed body throws {@link ExpositionFormatException} with the
 * line and yields no samples.
 *
 * <p>One parser per target, used by that target's scrape thread only (not thread-safe). It keeps a
 * cache from each series' raw text to its {@link Labels}, so the series a target sends every time
 * are parsed once and are the same instances scrape after scrape (cheap for the store to look up).
 * It works on the bytes, without regexes or splitting into Strings; only a series seen for the
 * first time allocates.
 *
 * <p>Rules beyond the grammar, as promtool's parser applies them: one HELP and one TYPE per family,
 * no TYPE after the family's samples, histogram buckets need a numeric {@code le} and summary
 * quantiles a numeric {@code quantile}, no duplicate label names. OpenMetrics adds: {@code # EOF}
 * last, no blank lines or other comments, each family's lines together with metadata first, sample
 * names that fit the family's type ({@code _total} for counters), UNIT a suffix of the name,
 * timestamps in seconds. Exemplars are checked for syntax and dropped.
 */
public final class ExpositionParser {
  private static final String[] FAMILY_SUFFIXES = {
    "_bucket", "_sum", "_count", "_created", "_total", "_info", "_gsum", "_gcount"
  };
  private static final int MAX_INTERNED_STRINGS = 100_000;

  private final UnaryOperator<Labels> seriesLabels;
  private final SeriesCache cache = new SeriesCache();
  private final Map<String, String> strings = new HashMap<>();
  private int expectedSamples = 256;

  // State of the parse in progress.
  private byte[] b;
  private boolean om;
  private ExpositionFormat format;
  private int lineNumber;
  private int lineStart;
  private int lineEnd;
  private boolean sawEof;
  private Map<String, Family> families;
  private Family current;
  private Labels[] sampleLabels;
  private long[] sampleTimes;
  private double[] sampleValues;
  private int samples;

  /** A parser whose samples carry exactly the labels the target exposed. */
  public ExpositionParser() {
    this(UnaryOperator.identity());
  }

  /**
   * A parser that passes each new series' exposed labels through {@code seriesLabels} (the scraper
   * adds the target's labels there) and remembers the result, so the function runs once per series,
   * not once per scrape. The function must not change its answer over the parser's life: make a new
   * parser when the target's labels change.
   */
  public ExpositionParser(UnaryOperator<Labels> seriesLabels) {
    this.seriesLabels = seriesLabels;
  }

  /** Parses a whole body; see {@link #parse(byte[], int, int, ExpositionFormat)}. */
  public ParsedScrape parse(byte[] body, ExpositionFormat format) throws ExpositionFormatException {
    return parse(body, 0, body.length, format);
  }

  /**
   * Parses {@code body[offset, offset + length)}, which must be the whole body (UTF-8), in {@code
   * format}. Does not keep or modify {@code body}.
   */
  public ParsedScrape parse(byte[] body, int offset, int length, ExpositionFormat format)
      throws ExpositionFormatException {
    this.b = body;
    this.format = format;
    this.om = format == ExpositionFormat.OPENMETRICS_TEXT;
    this.lineNumber = 0;
    this.sawEof = false;
    this.families = new LinkedHashMap<>();
    this.current = null;
    this.sampleLabels = new Labels[expectedSamples];
    this.sampleTimes = new long[expectedSamples];
    this.sampleValues = new double[expectedSamples];
    this.samples = 0;
    cache.beginGeneration();
    try {
      int end = offset + length;
      int p = offset;
      while (p < end) {
        int nl = indexOfNewline(p, end);
        lineNumber++;
        lineStart = p;
        lineEnd = nl < 0 ? end : nl;
        if (sawEof) {
          throw fail("unexpected text after # EOF");
        }
        parseLine();
        p = nl < 0 ? end : nl + 1;
      }
      if (om && !sawEof) {
        lineNumber++; // The line where # EOF was due.
        lineStart = lineEnd = end;
        throw fail("OpenMetrics body does not end with # EOF");
      }
      cache.endGeneration();
      expectedSamples = Math.max(16, samples);
      List<MetricFamily> out = new ArrayList<>(families.size());
      for (Family f : families.values()) {
        out.add(f.toMetadata());
      }
      return new ParsedScrape(out, sampleLabels, sampleTimes, sampleValues, samples);
    } finally {
      b = null;
      families = null;
      current = null;
      sampleLabels = null;
      sampleTimes = null;
      sampleValues = null;
    }
  }

  /**
   * How many distinct series the cache holds (the series of the last successful parse and any new
   * ones of a failed one).
   */
  public int cachedSeries() {
    return cache.size();
  }

  private int indexOfNewline(int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void parseLine() throws ExpositionFormatException {
    if (lineStart == lineEnd) {
      if (om) {
        throw fail("blank line (OpenMetrics allows none)");
      }
      return;
    }
    if (b[lineStart] == '#') {
      if (om) {
        parseOpenMetricsComment();
      } else {
        parseTextComment();
      }
      return;
    }
    parseSample();
  }

  // ---- Comments and metadata ----

  private void parseTextComment() throws ExpositionFormatException {
    int p = skipBlanks(lineStart + 1);
    if (p == lineStart + 1) {
      return; // "#foo": a plain comment.
    }
    int keywordEnd = scanUntilBlank(p);
    boolean help = matches(p, keywordEnd, "HELP");
    if (!help && !matches(p, keywordEnd, "TYPE")) {
      return; // Any other comment is ignored in the text format.
    }
    int nameStart = skipBlanks(keywordEnd);
    if (nameStart == keywordEnd) {
      throw fail("expected a metric name after " + (help ? "HELP" : "TYPE"));
    }
    int nameEnd = scanMetricName(nameStart);
    if (nameEnd == nameStart || (nameEnd < lineEnd && !isBlank(b[nameEnd]))) {
      throw fail("invalid metric name in " + (help ? "HELP" : "TYPE") + " line");
    }
    String name = ascii(nameStart, nameEnd);
    int textStart = skipBlanks(nameEnd);
    if (help) {
      setHelp(name, unescapeHelp(textStart, lineEnd));
    } else {
      setType(name, ascii(textStart, trimBlanksEnd(textStart, lineEnd)));
    }
  }

  private void parseOpenMetricsComment() throws ExpositionFormatException {
    if (matches(lineStart, lineEnd, "# EOF")) {
      sawEof = true;
      return;
    }
    int keywordStart = lineStart + 2;
    if (lineEnd - lineStart < 7 || b[lineStart + 1] != ' ' || b[keywordStart + 4] != ' ') {
      throw fail("expected # HELP, # TYPE, # UNIT or # EOF (OpenMetrics allows no other comments)");
    }
    int nameStart = keywordStart + 5;
    int nameEnd = scanMetricName(nameStart);
    if (nameEnd == nameStart || (nameEnd < lineEnd && b[nameEnd] != ' ')) {
      throw fail("invalid metric name in metadata line");
    }
    String name = ascii(nameStart, nameEnd);
    int textStart = Math.min(nameEnd + 1, lineEnd);
    if (matches(keywordStart, keywordStart + 4, "HELP")) {
      setHelp(name, unescapeHelp(textStart, lineEnd));
    } else if (matches(keywordStart, keywordStart + 4, "TYPE")) {
      setType(name, ascii(textStart, lineEnd));
    } else if (matches(keywordStart, keywordStart + 4, "UNIT")) {
      setUnit(name, ascii(textStart, lineEnd));
    } else {
      throw fail("expected # HELP, # TYPE, # UNIT or # EOF (OpenMetrics allows no other comments)");
    }
  }

  private Family familyForMetadata(String name) throws ExpositionFormatException {
    Family f = families.get(name);
    if (f == null) {
      f = new Family(name);
      families.put(name, f);
    } else if (om && f != current) {
      throw fail("metadata for " + name + " apart from the rest of its family");
    }
    if (om && f.samples > 0) {
      throw fail("metadata for " + name + " after its samples");
    }
    current = f;
    return f;
  }

  private void setHelp(String name, String help) throws ExpositionFormatException {
    Family f = familyForMetadata(name);
    if (f.help != null) {
      throw fail("second HELP line for " + name);
    }
    f.help = help;
  }

  private void setType(String name, String word) throws ExpositionFormatException {
    Family f = familyForMetadata(name);
    if (f.type != null) {
      throw fail("second TYPE line for " + name);
    }
    if (f.samples > 0) {
      throw fail("TYPE line for " + name + " after its samples");
    }
    f.type =
        MetricType.parse(word, format)
            .orElseThrow(() -> fail("unknown metric type \"" + word + "\""));
  }

  private void setUnit(String name, String unit) throws ExpositionFormatException {
    Family f = familyForMetadata(name);
    if (f.unit != null) {
      throw fail("second UNIT line for " + name);
    }
    if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
      throw fail("unit \"" + unit + "\" is not a suffix of the metric name " + name);
    }
    f.unit = unit;
  }

  private String unescapeHelp(int from, int to) throws ExpositionFormatException {
    StringBuilder sb = null;
    for (int i = from; i < to; i++) {
      if (b[i] == '\\' && i + 1 < to) {
        byte next = b[i + 1];
        char replacement = next == '\\' ? '\\' : next == 'n' ? '\n' : next == '"' && om ? '"' : 0;
        if (replacement != 0) {
          if (sb == null) {
            sb = new StringBuilder(utf8(from, i));
          } else {
            sb.append(utf8(from, i));
          }
          sb.append(replacement);
          from = i + 2;
          i++;
        }
      }
    }
    return sb == null ? utf8(from, to) : sb.append(utf8(from, to)).toString();
  }

  // ---- Samples ----

  private void parseSample() throws ExpositionFormatException {
    int nameEnd = scanMetricName(lineStart);
    if (nameEnd == lineStart) {
      throw fail("expected a metric name");
    }
    int brace = om ? nameEnd : skipBlanks(nameEnd);
    int seriesEnd = nameEnd;
    if (brace < lineEnd && b[brace] == '{') {
      seriesEnd = scanLabelSetEnd(brace);
    } else {
      brace = -1;
    }
    int hash = SeriesCache.hash(b, lineStart, seriesEnd);
    SeriesCache.Entry series = cache.get(b, lineStart, seriesEnd, hash);
    if (series == null) {
      series = parseSeries(nameEnd, brace, seriesEnd, hash);
      cache.put(series);
    }
    checkFamily(series);

    int p = seriesEnd;
    if (p >= lineEnd || !isBlank(b[p])) {
      throw fail("expected a blank and a value after the series");
    }
    p = skipBlanks(p);
    int valueEnd = scanUntilBlank(p);
    double value;
    try {
      value = NumberText.parseDouble(b, p, valueEnd);
    } catch (NumberFormatException e) {
      throw fail("value \"" + utf8(p, valueEnd) + "\" is not a number");
    }
    p = skipBlanks(valueEnd);
    long timestamp = ParsedScrape.NO_TIMESTAMP;
    if (p < lineEnd && b[p] != '#') {
      int tsEnd = scanUntilBlank(p);
      timestamp = om ? parseSecondsTimestamp(p, tsEnd) : parseMillisTimestamp(p, tsEnd);
      p = skipBlanks(tsEnd);
    }
    if (p < lineEnd) {
      if (om && b[p] == '#') {
        skipExemplar(p);
      } else {
        throw fail("unexpected text after the sample value");
      }
    }
    addSample(series.labels, timestamp, value);
  }

  private long parseMillisTimestamp(int from, int to) throws ExpositionFormatException {
    try {
      return NumberText.parseLong(b, from, to);
    } catch (NumberFormatException e) {
      throw fail("timestamp \"" + utf8(from, to) + "\" is not an integer of milliseconds");
    }
  }

  private long parseSecondsTimestamp(int from, int to) throws ExpositionFormatException {
    double seconds;
    try {
      seconds = NumberText.parseDouble(b, from, to);
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw fail("timestamp \"" + utf8(from, to) + "\" is not a number of seconds");
    }
    return (long) (seconds * 1000); // Truncates, as Prometheus's OpenMetrics parser does.
  }

  /** Checks an exemplar ({@code # {labels} value [timestamp]}) for syntax; its data is dropped. */
  private void skipExemplar(int p) throws ExpositionFormatException {
    if (p + 2 >= lineEnd || b[p + 1] != ' ' || b[p + 2] != '{') {
      throw fail("expected an exemplar (# {labels} value) after the sample");
    }
    int labelsEnd = scanLabelSetEnd(p + 2);
    parseLabelPairs(p + 2, labelsEnd, new ArrayList<>());
    if (labelsEnd >= lineEnd || b[labelsEnd] != ' ') {
      throw fail("expected a value after the exemplar's labels");
    }
    int valueStart = labelsEnd + 1;
    int valueEnd = scanUntilBlank(valueStart);
    try {
      NumberText.parseDouble(b, valueStart, valueEnd);
    } catch (NumberFormatException e) {
      throw fail("exemplar value \"" + utf8(valueStart, valueEnd) + "\" is not a number");
    }
    if (valueEnd < lineEnd) {
      int tsStart = valueEnd + 1;
      int tsEnd = scanUntilBlank(tsStart);
      parseSecondsTimestamp(tsStart, tsEnd);
      if (tsEnd != lineEnd) {
        throw fail("unexpected text after the exemplar");
      }
    }
  }

  private void addSample(Labels labels, long timestamp, double value) {
    if (samples == sampleLabels.length) {
      int c = samples * 2;
      sampleLabels = Arrays.copyOf(sampleLabels, c);
      sampleTimes = Arrays.copyOf(sampleTimes, c);
      sampleValues = Arrays.copyOf(sampleValues, c);
    }
    sampleLabels[samples] = labels;
    sampleTimes[samples] = timestamp;
    sampleValues[samples] = value;
    samples++;
  }

  /** Finds the sample's family, keeping the metadata rules, and counts the sample in it. */
  private void checkFamily(SeriesCache.Entry series) throws ExpositionFormatException {
    String name = series.metricName;
    Family f = current != null && current.owns(name, format) ? current : null;
    if (f == null) {
      f = findFamily(name);
      if (f == null) {
        if (families.containsKey(name)) {
          throw fail(
              "sample "
                  + name
                  + " does not fit its family's type "
                  + families.get(name).typeText());
        }
        f = new Family(name);
        families.put(name, f);
      } else if (om) {
        throw fail("sample of " + f.name + " apart from the rest of its family");
      }
      current = f;
    }
    MetricType type = f.typeOrUntyped();
    boolean base = name.length() == f.name.length();
    if ((type == MetricType.HISTOGRAM || type == MetricType.GAUGE_HISTOGRAM)
        && name.endsWith("_bucket")
        && series.le != LabelFact.NUMBER) {
      throw fail(
          series.le == LabelFact.ABSENT
              ? "histogram bucket without an le label"
              : "histogram bucket's le label is not a number");
    }
    if (type == MetricType.SUMMARY && base && series.quantile != LabelFact.NUMBER) {
      throw fail(
          series.quantile == LabelFact.ABSENT
              ? "summary sample without a quantile label"
              : "summary's quantile label is not a number");
    }
    f.samples++;
  }

  private Family findFamily(String name) {
    Family f = families.get(name);
    if (f != null && f.owns(name, format)) {
      return f;
    }
    for (String suffix : FAMILY_SUFFIXES) {
      if (name.endsWith(suffix)) {
        Family g = families.get(name.substring(0, name.length() - suffix.length()));
        if (g != null && g.owns(name, format)) {
          return g;
        }
      }
    }
    return null;
  }

  // ---- Series text: first sight of a series only ----

  private SeriesCache.Entry parseSeries(int nameEnd, int brace, int seriesEnd, int hash)
      throws ExpositionFormatException {
    String metricName = intern(ascii(lineStart, nameEnd));
    List<String> pairs = new ArrayList<>();
    pairs.add(Labels.METRIC_NAME);
    pairs.add(metricName);
    if (brace >= 0) {
      parseLabelPairs(brace, seriesEnd, pairs);
    }
    String le = null;
    String quantile = null;
    for (int i = 2; i < pairs.size(); i += 2) {
      String n = pairs.get(i);
      for (int j = 0; j < i; j += 2) {
        if (pairs.get(j).equals(n)) {
          throw fail("duplicate label name " + n);
        }
      }
      if (n.equals("le")) {
        le = pairs.get(i + 1);
      } else if (n.equals("quantile")) {
        quantile = pairs.get(i + 1);
      }
    }
    Labels exposed = Labels.ofPairs(pairs.toArray(new String[0]));
    return new SeriesCache.Entry(
        Arrays.copyOfRange(b, lineStart, seriesEnd),
        hash,
        seriesLabels.apply(exposed),
        metricName,
        fact(le),
        fact(quantile));
  }

  private static LabelFact fact(String value) {
    if (value == null || value.isEmpty()) {
      return LabelFact.ABSENT;
    }
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    try {
      NumberText.parseDouble(v, 0, v.length);
      return LabelFact.NUMBER;
    } catch (NumberFormatException e) {
      return LabelFact.NOT_A_NUMBER;
    }
  }

  /** Parses {@code {name="value", ...}} spanning [open, end) into {@code out}. */
  private void parseLabelPairs(int open, int end, List<String> out)
      throws ExpositionFormatException {
    int p = open + 1;
    int close = end - 1;
    while (true) {
      p = skipBlanks(p);
      if (p == close) {
        return;
      }
      int nameEnd = scanLabelName(p);
      if (nameEnd == p) {
        throw fail("expected a label name or '}'");
      }
      String name = intern(ascii(p, nameEnd));
      p = skipBlanks(nameEnd);
      if (b[p] != '=') {
        throw fail("expected '=' after label name " + name);
      }
      p = skipBlanks(p + 1);
      if (b[p] != '"') {
        throw fail("expected a quoted value for label " + name);
      }
      int valueEnd = closingQuote(p + 1);
      out.add(name);
      out.add(intern(unescapeLabelValue(p + 1, valueEnd)));
      p = skipBlanks(valueEnd + 1);
      if (b[p] == ',') {
        p++;
      } else if (p != close) {
        throw fail("expected ',' or '}' after the value of label " + name);
      }
    }
  }

  private String unescapeLabelValue(int from, int to) throws ExpositionFormatException {
    byte[] out = null;
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\') {
        byte next = b[i + 1];
        byte replacement =
            next == '\\' ? (byte) '\\' : next == '"' ? (byte) '"' : next == 'n' ? (byte) '\n' : 0;
        if (replacement != 0) {
          if (out == null) {
            out = new byte[to - from];
            n = i - from;
            System.arraycopy(b, from, out, 0, n);
          }
          out[n++] = replacement;
          i++;
          continue;
        }
      }
      if (out != null) {
        out[n++] = c;
      }
    }
    return out == null ? strictUtf8(b, from, to) : strictUtf8(out, 0, n);
  }

  private String strictUtf8(byte[] bytes, int from, int to) throws ExpositionFormatException {
    boolean ascii = true;
    for (int i = from; i < to && ascii; i++) {
      ascii = bytes[i] >= 0;
    }
    if (ascii) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw fail("label value is not valid UTF-8");
    }
  }

  // ---- Scanning ----

  /** The index after the '}' that closes the label set opening at {@code open}. */
  private int scanLabelSetEnd(int open) throws ExpositionFormatException {
    for (int i = open + 1; i < lineEnd; i++) {
      if (b[i] == '"') {
        i = closingQuote(i + 1);
      } else if (b[i] == '}') {
        return i + 1;
      }
    }
    throw fail("label set not closed with '}'");
  }

  /** The index of the '"' that ends a quoted value starting at {@code from}. */
  private int closingQuote(int from) throws ExpositionFormatException {
    for (int i = from; i < lineEnd; i++) {
      if (b[i] == '\\') {
        i++;
      } else if (b[i] == '"') {
        return i;
      }
    }
    throw fail("label value not closed with '\"'");
  }

  private int scanMetricName(int from) {
    int i = from;
    while (i < lineEnd) {
      byte c = b[i];
      boolean ok = isLetter(c) || c == '_' || c == ':' || (i > from && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      i++;
    }
    return i;
  }

  private int scanLabelName(int from) {
    int i = from;
    while (i < lineEnd) {
      byte c = b[i];
      boolean ok = isLetter(c) || c == '_' || (i > from && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      i++;
    }
    return i;
  }

  private static boolean isLetter(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }

  private int skipBlanks(int from) {
    int i = from;
    while (i < lineEnd && isBlank(b[i])) {
      i++;
    }
    return i;
  }

  private int scanUntilBlank(int from) {
    int i = from;
    while (i < lineEnd && !isBlank(b[i])) {
      i++;
    }
    return i;
  }

  private int trimBlanksEnd(int from, int to) {
    int i = to;
    while (i > from && isBlank(b[i - 1])) {
      i--;
    }
    return i;
  }

  private boolean matches(int from, int to, String ascii) {
    if (to - from != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[from + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String ascii(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private String utf8(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  private String intern(String s) {
    if (strings.size() >= MAX_INTERNED_STRINGS) {
      strings.clear(); // Bounds memory when a target churns label values.
    }
    String known = strings.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  private ExpositionFormatException fail(String reason) {
    return new ExpositionFormatException(lineNumber, utf8(lineStart, lineEnd), reason);
  }

  /** Metadata and sample count of one family during a parse. */
  private static final class Family {
    final String name;
    MetricType type; // Null until a TYPE line.
    String help;
    String unit;
    int samples;

    Family(String name) {
      this.name = name;
    }

    MetricType typeOrUntyped() {
      return type == null ? MetricType.UNTYPED : type;
    }

    String typeText() {
      return typeOrUntyped().text();
    }

    boolean owns(String sampleName, ExpositionFormat format) {
      return sampleName.startsWith(name)
          && typeOrUntyped().allowsSample(sampleName, name.length(), format);
    }

    MetricFamily toMetadata() {
      return new MetricFamily(
          name, typeOrUntyped(), help == null ? "" : help, unit == null ? "" : unit, samples);
    }
  }
}
