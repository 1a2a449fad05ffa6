package io.raftwatch.raftkv;

import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.raftwatch.raftkv.config.ConfigException;
import io.raftwatch.raftkv.config.EtcdConfig;
import io.raftwatch.raftkv.local.LocalClusterCommand;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/raftkv}: with etcd's flags ({@code --name}, {@code --initial-cluster}, ...,
 * {@code ETCD_*} variables or {@code --config-file}) it runs one member, as {@code etcd} would;
 * {@code raftkv local} runs a whole cluster in this process instead.
 */
@Command(
    name = "raftkv",
    mixinStandardHelpOptions = true,
    versionProvider = EtcdRelease.class,
    description = {
      "A Raft key-value cluster that speaks the etcd v3 API.",
      "",
      "raftkv [etcd flags]",
      "    Run one member. Takes etcd 3.4's flags, ETCD_* variables and",
      "    --config-file, with etcd's defaults (but --pre-vote is on, as in",
      "    etcd 3.5 and later; --pre-vote=false is 3.4's way); for example:",
      "    raftkv --name m1 --initial-cluster m1=https://10.0.0.1:2380,...",
      "      --listen-peer-urls https://10.0.0.1:2380 --peer-cert-file m1.crt ...",
      "raftkv local [...]",
      "    Run a whole cluster inside this process (raftkv local --help)."
    },
    subcommands = {LocalClusterCommand.class})
public final class RaftkvCommand implements Runnable {
  private static final Set<String> HELP = Set.of("-h", "--help", "-help", "help");

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command line, with the etcd flags a member takes listed below the usage. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new RaftkvCommand());
    StringBuilder footer = new StringBuilder(
        "%netcd flags raftkv takes (each also as an ETCD_* variable or a --config-file key):%n ");
    int width = 1;
    for (String flag : EtcdConfig.supportedFlags()) {
      if (width + flag.length() + 3 > 78) {
        footer.append("%n ");
        width = 1;
      }
      footer.append(" --").append(flag);
      width += flag.length() + 3;
    }
    cmd.getCommandSpec().usageMessage().footer(footer.toString());
    return cmd;
  }

  /**
   * etcd's --log-level for raftkv's own loggers (slf4j-simple reads a logger's level when the
   * logger is made, so this comes before the member's classes load); panic and fatal log errors.
   */
  private static void applyLogLevel(String etcdLevel) {
    String level = switch (etcdLevel) {
      case "panic", "fatal" -> "error";
      default -> etcdLevel;
    };
    System.setProperty("org.slf4j.simpleLogger.log.io.raftwatch", level);
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0 || args[0].equals("local") || HELP.contains(args[0])
        || args[0].equals("--version") || args[0].equals("-V")) {
      System.exit(commandLine().execute(args));
    }
    // Netty's leak detector records a stack trace for a sample of buffers; that is a debugging
    // aid, and on the request path it cost more CPU than the KV store.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    EtcdConfig config;
    RaftkvMember member;
    try {
      config = EtcdConfig.parse(args, System.getenv());
      applyLogLevel(config.logLevel());
      member = RaftkvMember.start(config);
    } catch (ConfigException e) {
      System.err.println("raftkv: " + e.getMessage());
      System.exit(2);
      return;
    } catch (java.io.IOException e) {
      System.err.println("raftkv: cannot start member: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.err.println("raftkv: member " + config.name() + " serving clients on "
        + config.listenClientUrls() + ", peers on " + config.listenPeerUrls()
        + (config.listenMetricsUrls().isEmpty() ? "" : ", metrics on " + config.listenMetricsUrls()));
    // etcd exits (status 0) once it applied its own removal; the shutdown hook closes the member.
    member.removed().thenRunAsync(() -> {
      System.err.println("raftkv: the member has been permanently removed from the cluster");
      System.exit(0);
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      member.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
