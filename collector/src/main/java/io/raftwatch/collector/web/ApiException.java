package io.raftwatch.collector.web;

/**
 * A request the API refuses, with the HTTP status and Prometheus's {@code errorType}: {@code
 * bad_data} (400) for a parameter that does not parse, {@code execution} (422) for a query that
 * fails while evaluated, {@code timeout} (503), {@code not_found} (404). The message is for the
 * client and names the parameter; it never carries a stack trace or a secret. Thrown by endpoints
 * on a worker thread and turned into the error JSON by {@link WebServer}.
 */
public final class ApiException extends Exception {
  /** Prometheus's error types, with their HTTP status codes ({@code web/api/v1/api.go}). */
  public enum ErrorType {
    BAD_DATA("bad_data", 400),
    EXECUTION("execution", 422),
    TIMEOUT("timeout", 503),
    NOT_FOUND("not_found", 404),
    INTERNAL("internal", 500);

    private final String wireName;
    private final int status;

    ErrorType(String wireName, int status) {
      this.wireName = wireName;
      this.status = status;
    }

    /** The {@code errorType} string of the JSON. */
    public String wireName() {
      return wireName;
    }

    /** The HTTP status code. */
    public int status() {
      return status;
    }
  }

  private final ErrorType type;

  public ApiException(ErrorType type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  /** A {@code bad_data} error for parameter {@code name}: {@code invalid parameter "time": ...}. */
  static ApiException invalidParam(String name, String detail) {
    return new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": " + detail);
  }

  public ErrorType type() {
    return type;
  }
}
