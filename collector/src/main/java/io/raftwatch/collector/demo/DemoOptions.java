package io.raftwatch.collector.demo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code raftwatch demo} was asked to do; filled in by {@code DemoCommand} from its flags.
 *
 * @param dir the demo directory (created; a previous demo's is resumed)
 * @param listen where the page listens; port 0 picks a free one
 * @param scrapeInterval how often the collector scrapes the members
 * @param chaosEvery with {@code --chaos}, how long the cluster stays whole between leader kills
 * @param chaosDown how long a killed leader stays down
 * @param loadPerSecond writes per second of the background load, 0 for none
 * @param raftkvJar the raftkv jar the members run from
 * @param raftkvFlags extra etcd flags given to every member (e.g. {@code --election-timeout=500})
 * @param startDeadline how long the members may take to elect a leader
 */
public record DemoOptions(
    Path dir,
    InetSocketAddress listen,
    Duration scrapeInterval,
    Optional<Duration> chaosEvery,
    Duration chaosDown,
    int loadPerSecond,
    Path raftkvJar,
    List<String> raftkvFlags,
    Duration startDeadline) {

  /** The members' names. Three: a quorum survives one member down, which is what chaos does. */
  public static final List<String> MEMBERS = List.of("m1", "m2", "m3");

  public DemoOptions {
    raftkvFlags = List.copyOf(raftkvFlags);
  }
}
