package io.raftwatch.collector.cli;

import io.raftwatch.collector.demo.Demo;
import io.raftwatch.collector.demo.DemoCluster;
import io.raftwatch.collector.demo.DemoException;
import io.raftwatch.collector.demo.DemoOptions;
import io.raftwatch.collector.demo.RaftkvLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch demo}: everything on one machine, from nothing: certificates, a 3-member raftkv
 * cluster over mutual TLS, the collector with the shipped rules and its page, and the Kubernetes
 * manifests for the same cluster. Progress goes to stderr, one line per step; the summary to stdout.
 * Runs until Ctrl-C, which stops everything from a shutdown hook and leaves the directory. Runs on
 * the main thread.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Start a 3-member raftkv cluster over mutual TLS (separate processes with etcd's "
        + "flags), watch it with the collector and the shipped alert rules, and write its config, "
        + "certificates, Kubernetes manifests and Grafana dashboard into the demo directory.",
        "Ctrl-C stops everything and keeps the directory; running the demo on it again resumes the "
            + "same cluster."},
    footer = {"", "Examples:",
        "  bin/raftwatch demo",
        "  bin/raftwatch demo --chaos --load",
        "  bin/raftwatch demo --chaos --chaos-every 60s --chaos-down 150s",
        "  bin/raftwatch demo --dir /tmp/rw-demo --listen 127.0.0.1:0",
        "", "Exit status: 0 after Ctrl-C, 1 when the demo cannot start (the reason is printed), "
            + "2 a mistake in the flags."})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "raftwatch-demo",
      description = "Where the data, logs, certificates, config and manifests go (default: ${DEFAULT-VALUE}). "
          + "A directory holding a previous demo is resumed; any other non-empty one is refused.")
  Path dir;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9095",
      converter = RunCommand.ListenConverter.class,
      description = "Where the page listens (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  InetSocketAddress listen;

  @Option(names = "--scrape-interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = CheckCommand.DurationConverter.class,
      description = "How often the collector scrapes each member (default: ${DEFAULT-VALUE}).")
  Duration scrapeInterval;

  @Option(names = "--chaos",
      description = "Now and then kill the leader with SIGKILL and restart it on its data dir, so that "
          + "elections happen and alerts fire and resolve on the page.")
  boolean chaos;

  @Option(names = "--chaos-every", paramLabel = "DURATION", defaultValue = "60s",
      converter = CheckCommand.DurationConverter.class,
      description = "With --chaos: how long the cluster stays whole between kills (default: ${DEFAULT-VALUE}).")
  Duration chaosEvery;

  @Option(names = "--chaos-down", paramLabel = "DURATION", defaultValue = "150s",
      converter = CheckCommand.DurationConverter.class,
      description = "With --chaos: how long the killed leader stays down (default: ${DEFAULT-VALUE}, long "
          + "enough for etcdMemberScrapeFailing, 'for: 2m', to fire).")
  Duration chaosDown;

  @Option(names = "--load", arity = "0..1", paramLabel = "PER_SECOND", defaultValue = "0", fallbackValue = "10",
      description = "A small write load so the graphs move: PER_SECOND etcd puts per second (10 if "
          + "not given) to the members in turn.")
  int load;

  @Option(names = "--raftkv-jar", paramLabel = "FILE",
      description = "The raftkv jar the members run from (default: the one bin/raftwatch builds, "
          + "raftkv/target/raftkv.jar).")
  Path raftkvJar;

  @Option(names = "--raftkv-flag", paramLabel = "FLAG",
      description = "An extra etcd flag for every member, e.g. --raftkv-flag=--election-timeout=500 "
          + "(repeatable).")
  List<String> raftkvFlags = new ArrayList<>();

  @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "90s",
      converter = CheckCommand.DurationConverter.class,
      description = "How long the members may take to elect a leader (default: ${DEFAULT-VALUE}).")
  Duration startTimeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Demo demo;
    try {
      Path jar = RaftkvLauncher.findJar(Optional.ofNullable(raftkvJar), System.getenv());
      DemoOptions options = new DemoOptions(dir, listen, scrapeInterval,
          chaos ? Optional.of(chaosEvery) : Optional.empty(), chaosDown, load, jar, raftkvFlags, startTimeout);
      demo = Demo.start(options, Clock.systemUTC(), line -> {
        err.println("demo: " + line);
        err.flush();
      });
    } catch (DemoException e) {
      err.println("raftwatch demo: " + e.getMessage());
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println("raftwatch demo: cannot write into " + dir + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(demo.summary());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      err.println("demo: stopping (members get SIGTERM, then SIGKILL after "
          + DemoCluster.STOP_GRACE.toSeconds() + "s)");
      err.flush();
      try {
        demo.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.println("demo: stopped; " + dir + " is kept for inspection");
      err.flush();
      stopped.countDown();
    }, "demo-shutdown"));
    stopped.await();
    return 0;
  }
}
