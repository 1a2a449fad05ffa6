package io.raftwatch.collector.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.report.CollectorReports;
import io.raftwatch.collector.report.ReportFormat;
import io.raftwatch.collector.rules.RuleFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rendered reports the page links to: {@code /reports/<cluster>.html|md|json} renders a
 * cluster's report now (over {@code ?window=}, default 24h) with the report package's {@link
 * CollectorReports}; {@code /reports/daily/<file>} serves the daily report job's files from {@code
 * <data-dir>/reports}; {@code /api/reports} lists both. {@code ?download=1} makes the browser save
 * the file. Called on worker threads; each request renders its own report.
 */
public final class ReportPages {
  private static final Pattern LIVE = Pattern.compile("/reports/(.+)\\.(html|md|json)");
  // The daily job's names: <cluster>-<yyyy-mm-dd>.<ext>, cluster path separators already '_'.
  private static final Pattern DAILY =
      Pattern.compile("([A-Za-z0-9._-]+)-(\\d{4}-\\d{2}-\\d{2})\\.(html|md|json)");

  private final Collector collector;
  private final CollectorReports reports;
  private final Clock clock;

  public ReportPages(Collector collector, CollectorReports reports, Clock clock) {
    this.collector = collector;
    this.reports = reports;
    this.clock = clock;
  }

  /** Adds the endpoints to {@code server}. */
  public void register(WebServer.Builder server) {
    server
        .prefixRoute("/reports/daily/", "/reports/daily/:file", Set.of("GET"), this::daily)
        .prefixRoute("/reports/", "/reports/:cluster", Set.of("GET"), this::live)
        .route("/api/reports", Set.of("GET"), r -> list());
  }

  /** The live report links of {@code cluster}, for the page's cluster list. */
  static List<String[]> liveLinks(String cluster) {
    List<String[]> out = new ArrayList<>();
    for (ReportFormat f : ReportFormat.values()) {
      out.add(new String[] {f.extension(), "/reports/" + cluster + "." + f.extension()});
    }
    return out;
  }

  WebResponse live(WebRequest r) throws ApiException {
    Matcher m = LIVE.matcher(r.path());
    if (!m.matches()) {
      throw new ApiException(ApiException.ErrorType.NOT_FOUND,
          "no report " + r.path() + "; reports are /reports/<cluster>.html, .md or .json");
    }
    ReportFormat format = ReportFormat.parse(m.group(2));
    Duration window = r.param("window").isEmpty()
        ? CollectorReports.DAILY_WINDOW : ApiParams.parseDuration("window", r.param("window"));
    if (window.isNegative() || window.isZero()) {
      throw ApiException.invalidParam("window", "must be positive, got \"" + r.param("window") + "\"");
    }
    String text;
    try {
      text = reports.render(collector, m.group(1), format, window, clock.instant());
    } catch (NoSuchElementException e) {
      throw new ApiException(ApiException.ErrorType.NOT_FOUND, e.getMessage());
    } catch (RuleFileException e) {
      throw new ApiException(ApiException.ErrorType.INTERNAL, "cannot load the rules: "
          + e.getMessage());
    }
    return file(r, format, m.group(1) + "." + format.extension(),
        text.getBytes(StandardCharsets.UTF_8));
  }

  WebResponse daily(WebRequest r) throws ApiException, IOException {
    String name = r.path().substring("/reports/daily/".length());
    Matcher m = DAILY.matcher(name);
    Path file = dir().resolve(name);
    // The pattern allows no separator, so the name cannot leave the directory.
    if (!m.matches() || !Files.isRegularFile(file)) {
      throw new ApiException(ApiException.ErrorType.NOT_FOUND, "no daily report " + name);
    }
    return file(r, ReportFormat.parse(m.group(3)), name, Files.readAllBytes(file));
  }

  private static WebResponse file(WebRequest r, ReportFormat format, String name, byte[] body) {
    WebResponse response = new WebResponse(200, format.mediaType(), body);
    return r.param("download").isEmpty() ? response : response.withHeader(
        "Content-Disposition", "attachment; filename=\"" + name.replace("\"", "_") + "\"");
  }

  WebResponse list() throws IOException {
    List<String> files = new ArrayList<>();
    if (Files.isDirectory(dir())) {
      try (Stream<Path> s = Files.list(dir())) {
        s.map(p -> p.getFileName().toString()).filter(n -> DAILY.matcher(n).matches())
            .sorted().forEach(files::add);
      }
    }
    return PromJson.success(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("clusters");
      for (ClusterWatch w : collector.clusters()) {
        g.writeStartObject();
        g.writeStringField("name", w.name());
        writeLinks(g, "live", liveLinks(w.name()));
        List<String[]> daily = new ArrayList<>();
        for (String f : files) {
          Matcher m = DAILY.matcher(f);
          if (m.matches() && f.equals(CollectorReports.fileName(w.name(),
              LocalDate.parse(m.group(2)), ReportFormat.parse(m.group(3))))) {
            daily.add(new String[] {m.group(2) + "." + m.group(3), "/reports/daily/" + f});
          }
        }
        writeLinks(g, "daily", daily);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  static void writeLinks(JsonGenerator g, String field, List<String[]> links) throws IOException {
    g.writeArrayFieldStart(field);
    for (String[] l : links) {
      g.writeStartObject();
      g.writeStringField("name", l[0]);
      g.writeStringField("href", l[1]);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private Path dir() {
    return CollectorReports.reportsDir(collector.options().dataDir());
  }
}
