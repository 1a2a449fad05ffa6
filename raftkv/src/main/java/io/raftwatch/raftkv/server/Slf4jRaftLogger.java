package io.raftwatch.raftkv.server;

import io.raftwatch.raftkv.raft.RaftLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the Raft core's narrative to SLF4J under {@code io.raftwatch.raftkv.raft}, at debug. */
public final class Slf4jRaftLogger implements RaftLogger {
  private static final Logger log = LoggerFactory.getLogger("io.raftwatch.raftkv.raft");

  @Override
  public void info(String message) {
    log.debug(message);
  }

  @Override
  public void warn(String message) {
    log.info(message);
  }
}
