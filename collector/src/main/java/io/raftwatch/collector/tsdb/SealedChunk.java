package io.raftwatch.collector.tsdb;

/**
 * An immutable run of compressed samples of one series: a full chunk that was cut, or a copy of the
 * open one taken for a reader. Safe to share between threads.
 *
 * @param data holds the {@link XorChunk} encoding from {@code offset} on; never modified
 * @param offset where the chunk starts in {@code data}
 * @param count samples in the chunk
 * @param minTime timestamp of the first sample, in milliseconds
 * @param maxTime timestamp of the last sample, in milliseconds
 */
record SealedChunk(byte[] data, int offset, int count, long minTime, long maxTime) {
  SampleIterator iterator() {
    return XorChunk.iterator(data, offset, count);
  }
}
