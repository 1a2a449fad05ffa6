package io.raftwatch.collector.scrape;

/**
 * The TLS files of a cluster cannot be used: a file is missing or unreadable, holds no usable PEM
 * block, or the key does not belong to the certificate. Thrown by {@link ClientTls#load} before
 * the first scrape; the message names the file and never holds key material.
 */
public final class TlsMaterialException extends Exception {
  private static final long serialVersionUID = 1L;

  public TlsMaterialException(String message) {
    super(message);
  }
}
