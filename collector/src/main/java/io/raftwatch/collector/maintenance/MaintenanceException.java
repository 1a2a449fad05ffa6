package io.raftwatch.collector.maintenance;

/**
 * A maintenance call to a member failed: unreachable, refused (TLS, permissions) or rejected
 * (e.g. "mvcc: required revision has been compacted"). The message names the member and says
 * what failed, without secrets.
 */
public class MaintenanceException extends Exception {
  public MaintenanceException(String message, Throwable cause) {
    super(message, cause);
  }
}
