package io.raftwatch.raftkv;

import io.raftwatch.raftkv.local.LocalClusterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/raftkv}: the raftkv launcher's entry point. */
@Command(
    name = "raftkv",
    mixinStandardHelpOptions = true,
    description = "A Raft key-value cluster that speaks the etcd v3 API.",
    subcommands = {LocalClusterCommand.class})
public final class RaftkvCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RaftkvCommand()).execute(args));
  }
}
