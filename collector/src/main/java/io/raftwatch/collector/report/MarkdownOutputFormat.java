package io.raftwatch.collector.report;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;
import java.io.IOException;
import java.io.Writer;

/**
 * FreeMarker's auto-escaping for Markdown, which FreeMarker does not ship: a template that
 * declares {@code <#ftl output_format="Markdown">} gets every {@code ${...}} escaped, so a label
 * value cannot add emphasis, links, HTML or table cells. Backslash-escapes Markdown's punctuation,
 * '<' and '&' as entities, and turns line breaks into spaces (a value stays in its table
 * cell). Stateless singleton; any thread.
 */
final class MarkdownOutputFormat extends CommonMarkupOutputFormat<MarkdownOutputFormat.Model> {
  static final MarkdownOutputFormat INSTANCE = new MarkdownOutputFormat();
  // What can start emphasis, code, a link, a table cell, strike-through or a quote mid-line; '.',
  // '-', '#' and '+' only matter at the start of a line, where templates never put a value.
  private static final String PUNCTUATION = "\\`*_[]|~>";

  private MarkdownOutputFormat() {}

  @Override
  public String getName() {
    return "Markdown";
  }

  @Override
  public String getMimeType() {
    return "text/markdown";
  }

  @Override
  public void output(String textToEsc, Writer out) throws IOException {
    out.write(escapePlainText(textToEsc));
  }

  @Override
  public String escapePlainText(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '<') {
        out.append("&lt;");
      } else if (c == '&') {
        out.append("&amp;");
      } else if (c == '\n' || c == '\r') {
        out.append(' ');
      } else if (PUNCTUATION.indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else if (c >= 0x20 || c == '\t') {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public boolean isLegacyBuiltInBypassed(String builtInName) {
    return false;
  }

  @Override
  protected Model newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
    return new Model(plainTextContent, markupContent);
  }

  /** A piece of Markdown, escaped or verbatim, as FreeMarker passes it around. */
  static final class Model extends CommonTemplateMarkupOutputModel<Model> {
    Model(String plainTextContent, String markupContent) {
      super(plainTextContent, markupContent);
    }

    @Override
    public MarkdownOutputFormat getOutputFormat() {
      return INSTANCE;
    }
  }
}
