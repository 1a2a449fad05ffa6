package io.raftwatch.raftkv.raft;

/** What an {@link Entry} carries. The ordinal is persisted by the WAL: append only. */
public enum EntryType {
  /** An application command, or the empty no-op a new leader appends. */
  NORMAL,
  /** A {@link ConfChange} encoded with {@link ConfChange#encode()}. */
  CONF_CHANGE
}
