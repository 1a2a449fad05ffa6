package io.raftwatch.collector.tsdb;

/**
 * Thrown by {@link SeriesStore#append} when a batch would take a cluster past its series limit.
 * Nothing of that batch is stored; the series already stored keep their samples and keep accepting
 * samples from later batches that stay within the limit.
 */
public final class SeriesLimitExceededException extends Exception {
  private final String cluster;
  private final int limit;

  public SeriesLimitExceededException(String cluster, int limit) {
    super("cluster '" + cluster + "' sends more than " + limit + " series; raise limits.maxSeries");
    this.cluster = cluster;
    this.limit = limit;
  }

  /** The cluster whose batch was refused. */
  public String cluster() {
    return cluster;
  }

  /** The limit in force. */
  public int limit() {
    return limit;
  }
}
