package io.raftwatch.collector.health;

import java.util.Collection;

/**
 * A check's verdict with its Nagios plugin exit code. When clusters disagree the worst wins, in the
 * order OK, WARNING, UNKNOWN, CRITICAL: a firing critical alert is news even if another cluster
 * could not be checked. Immutable.
 */
public enum CheckStatus {
  OK(0, 0),
  WARNING(1, 1),
  UNKNOWN(3, 2),
  CRITICAL(2, 3);

  private final int exitCode;
  private final int rank;

  CheckStatus(int exitCode, int rank) {
    this.exitCode = exitCode;
    this.rank = rank;
  }

  /** The Nagios plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  public int exitCode() {
    return exitCode;
  }

  /** The worst of {@code statuses}; OK when there are none. */
  public static CheckStatus worst(Collection<CheckStatus> statuses) {
    CheckStatus worst = OK;
    for (CheckStatus s : statuses) {
      if (s.rank > worst.rank) {
        worst = s;
      }
    }
    return worst;
  }
}
