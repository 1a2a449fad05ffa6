package io.raftwatch.raftkv;

import java.nio.file.Path;

/** The real etcd 3.4.23 scrapes in ../shared/fixtures that raftkv's metrics are checked against. */
public final class EtcdScrapes {
  private EtcdScrapes() {}

  /** A scrape of member 1 ({@code member-1.prom}, {@code member-1-extensive.prom}, ...). */
  public static Path file(String name) {
    String shared = System.getProperty("raftwatch.shared");
    Path base = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
    return base.resolve("fixtures/etcd-3.4.23").resolve(name);
  }
}
