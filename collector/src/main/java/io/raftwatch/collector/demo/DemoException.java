package io.raftwatch.collector.demo;

/**
 * The demo cannot go on, for a reason the user can act on: a directory it must not touch, a member
 * that would not start (the message then carries the end of its log). {@code raftwatch demo}
 * prints the message, never a stack trace, and exits non-zero.
 */
public final class DemoException extends Exception {
  private static final long serialVersionUID = 1L;

  public DemoException(String message) {
    super(message);
  }
}
