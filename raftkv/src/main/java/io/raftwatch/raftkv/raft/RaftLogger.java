package io.raftwatch.raftkv.raft;

/**
 * Where the core writes its narrative ("2 became leader at term 3"). The server forwards it to
 * SLF4J; scripted tests capture it as part of the expected output. Called on the thread driving
 * the node; implementations must not block or throw.
 */
public interface RaftLogger {
  void info(String message);

  void warn(String message);

  RaftLogger DISCARD =
      new RaftLogger() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };
}
