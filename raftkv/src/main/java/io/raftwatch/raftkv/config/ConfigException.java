package io.raftwatch.raftkv.config;

/**
 * A user mistake in the configuration. The message names the flag, environment variable or config
 * key and what is wrong, and is meant to be printed as is, without a stack trace. It never contains
 * key material.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
