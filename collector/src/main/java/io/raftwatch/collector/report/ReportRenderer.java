package io.raftwatch.collector.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ClusterReport}: to self-contained HTML (inline CSS and SVG charts, no external
 * asset) and Markdown with the FreeMarker templates under {@code templates/report/}, auto-escaping
 * on; to JSON with Jackson in the versioned form of {@code docs/report.schema.json}. Used by
 * {@code raftwatch report}, the daily report job and the web page. Thread-safe once built (the
 * FreeMarker configuration and the object mapper are). A template error is a bug in the templates,
 * so it is thrown unchecked.
 */
public final class ReportRenderer {
  private final Configuration freemarker;
  private final ObjectMapper json;

  public ReportRenderer() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setTemplateLoader(new ClassTemplateLoader(ReportRenderer.class, "/templates/report"));
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setRegisteredCustomOutputFormats(List.of(MarkdownOutputFormat.INSTANCE));
    cfg.setAutoEscapingPolicy(Configuration.ENABLE_IF_SUPPORTED_AUTO_ESCAPING_POLICY);
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
    cfg.setAPIBuiltinEnabled(false);
    this.freemarker = cfg;
    this.json = new ObjectMapper()
        .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance))
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** {@code report} in {@code format}. */
  public String render(ClusterReport report, ReportFormat format) {
    return switch (format) {
      case HTML -> template("report.html.ftl", report);
      case MARKDOWN -> template("report.md.ftl", report);
      case JSON -> {
        try {
          yield json.writeValueAsString(report) + "\n";
        } catch (IOException e) {
          throw new UncheckedIOException("report JSON", e);
        }
      }
    };
  }

  private String template(String name, ClusterReport report) {
    StringWriter out = new StringWriter();
    try {
      freemarker.getTemplate(name).process(ReportView.of(report), out);
    } catch (IOException e) {
      throw new UncheckedIOException("template report/" + name, e);
    } catch (TemplateException e) {
      throw new IllegalStateException("template report/" + name + " failed: " + e.getMessage(), e);
    }
    return out.toString();
  }
}
