package io.raftwatch.raftkv.mvcc;

/**
 * Options of a range read (etcd {@code RangeOptions} plus keys_only). {@code limit} 0 means no
 * limit; {@code revision} 0 or less means the current revision. Sorting and the min/max mod/create
 * revision filters are the API layer's business, applied to the result.
 */
public record RangeOptions(long limit, long revision, boolean countOnly, boolean keysOnly) {
  /** Every key in the range at the current revision, with values. */
  public static final RangeOptions DEFAULT = new RangeOptions(0, 0, false, false);

  public static RangeOptions atRevision(long revision) {
    return new RangeOptions(0, revision, false, false);
  }

  public RangeOptions withLimit(long newLimit) {
    return new RangeOptions(newLimit, revision, countOnly, keysOnly);
  }
}
