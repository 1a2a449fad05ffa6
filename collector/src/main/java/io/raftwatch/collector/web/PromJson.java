package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.promql.GoNumbers;
import io.raftwatch.collector.promql.Value;
import io.raftwatch.collector.tsdb.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes the Prometheus HTTP API's JSON as Prometheus 2.42 does: the {@code
 * {"status":"success","data":...}} envelope, query results typed {@code vector}, {@code matrix},
 * {@code scalar} or {@code string}, a point as {@code [<unix seconds>, "<value>"]} with the
 * seconds written exactly to the millisecond ({@code 1700000000.5} is {@code 1700000000.500}, as
 * Go's {@code marshalTimestamp}) and the value as Go's {@code FormatFloat(v, 'f', -1)} ({@code
 * "NaN"}, {@code "+Inf"}). Stateless; used by the API endpoints on worker threads.
 */
final class PromJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private PromJson() {}

  /** Writes the {@code data} member's value. */
  @FunctionalInterface
  interface DataWriter {
    void write(JsonGenerator g) throws IOException;
  }

  /** {@code {"status":"success","data":<what data writes>}}. */
  static WebResponse success(DataWriter data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A ByteArrayOutputStream does not fail.
    }
    return WebResponse.json(out.toByteArray());
  }

  /** {@code {"resultType":"vector","result":[...]}} for any query result. */
  static void writeResult(JsonGenerator g, Value value) throws IOException {
    g.writeStartObject();
    g.writeStringField("resultType", value.resultType());
    g.writeFieldName("result");
    if (value instanceof Value.Vector v) {
      g.writeStartArray();
      for (Value.Sample s : v.samples()) {
        g.writeStartObject();
        g.writeFieldName("metric");
        writeLabels(g, s.labels());
        g.writeFieldName("value");
        writePoint(g, s.timestampMillis(), GoNumbers.formatF(s.value()));
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (value instanceof Value.Matrix m) {
      g.writeStartArray();
      for (Value.Series s : m.series()) {
        g.writeStartObject();
        g.writeFieldName("metric");
        writeLabels(g, s.labels());
        g.writeArrayFieldStart("values");
        for (int i = 0; i < s.size(); i++) {
          writePoint(g, s.timestampsMillis()[i], GoNumbers.formatF(s.values()[i]));
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (value instanceof Value.Scalar s) {
      writePoint(g, s.timestampMillis(), GoNumbers.formatF(s.value()));
    } else if (value instanceof Value.StringValue s) {
      writePoint(g, s.timestampMillis(), s.value());
    }
    g.writeEndObject();
  }

  /** A label set as a JSON object, in label order. */
  static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.nameAt(i), labels.valueAt(i));
    }
    g.writeEndObject();
  }

  private static void writePoint(JsonGenerator g, long millis, String value) throws IOException {
    g.writeStartArray();
    g.writeNumber(timestamp(millis));
    g.writeString(value);
    g.writeEndArray();
  }

  /** Unix seconds of {@code millis} as Go's {@code marshalTimestamp} writes them. */
  static String timestamp(long millis) {
    BigDecimal seconds = BigDecimal.valueOf(millis, 3);
    return millis % 1000 == 0 ? seconds.setScale(0).toPlainString() : seconds.toPlainString();
  }

  /** RFC 3339 with nanoseconds as Go's {@code time.Time} JSON, in UTC. */
  static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }
}
