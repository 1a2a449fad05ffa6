package io.raftwatch.collector.tsdb;

import java.util.List;

/** A {@link SeriesView} over snapshot chunks, trimmed to the selected time range. */
final class ChunkSeriesView implements SeriesView {
  private final Labels labels;
  private final List<SealedChunk> chunks;
  private final long minTime;
  private final long maxTime;

  ChunkSeriesView(Labels labels, List<SealedChunk> chunks, long minTime, long maxTime) {
    this.labels = labels;
    this.chunks = chunks;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator samples() {
    return new SampleIterator() {
      private int chunk = -1;
      private SampleIterator current;

      @Override
      public boolean next() {
        while (true) {
          if (current != null && current.next()) {
            long t = current.timestamp();
            if (t > maxTime) {
              chunk = chunks.size();
              current = null;
              return false;
            }
            if (t >= minTime) {
              return true;
            }
          } else if (++chunk < chunks.size()) {
            current = chunks.get(chunk).iterator();
          } else {
            current = null;
            return false;
          }
        }
      }

      @Override
      public long timestamp() {
        return current.timestamp();
      }

      @Override
      public double value() {
        return current.value();
      }
    };
  }

  /**
   * Whether any sample lies in the range. A chunk whose first or last sample does is a sure yes;
   * only a range that falls strictly inside a chunk's span needs decoding.
   */
  boolean hasSamples() {
    for (SealedChunk c : chunks) {
      if ((c.minTime() >= minTime && c.minTime() <= maxTime)
          || (c.maxTime() >= minTime && c.maxTime() <= maxTime)) {
        return true;
      }
    }
    return !chunks.isEmpty() && samples().next();
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
