package io.raftwatch.collector.rules.template;

/**
 * A template that does not parse, or fails while it runs, with a message in Go's words ({@code
 * template: NAME:1:12: function "humanise" not defined}).
 */
public final class TemplateException extends Exception {
  public TemplateException(String message) {
    super(message);
  }
}
