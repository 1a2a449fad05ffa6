package io.raftwatch.collector.manifests;

import freemarker.cache.ClassTemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The FreeMarker templates under {@code templates/} (on the class path as {@code /templates}),
 * the only source of the manifests' and dashboards' text. Made once per command or test and used
 * on one thread. A template error is a bug in the templates, so it is thrown unchecked.
 */
public final class ManifestTemplates {
  private final Configuration freemarker;

  private ManifestTemplates(Configuration freemarker) {
    this.freemarker = freemarker;
  }

  /** The templates bundled with raftwatch. */
  public static ManifestTemplates bundled() {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setTemplateLoader(new ClassTemplateLoader(ManifestTemplates.class, "/templates"));
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
    cfg.setAPIBuiltinEnabled(false);
    return new ManifestTemplates(cfg);
  }

  /**
   * Renders one template.
   *
   * @param name the path under {@code templates/}, e.g. {@code manifests/service.yaml.ftl}
   * @param model maps, lists, strings, numbers and booleans only
   */
  public String render(String name, Map<String, ?> model) {
    StringWriter out = new StringWriter();
    try {
      freemarker.getTemplate(name).process(model, out);
    } catch (IOException e) {
      throw new UncheckedIOException("template " + name, e);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
    }
    return out.toString();
  }
}
