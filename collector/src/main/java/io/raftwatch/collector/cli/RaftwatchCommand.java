package io.raftwatch.collector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root command, {@code raftwatch}: lists the subcommands and holds the options every one of
 * them takes. Run by {@code bin/raftwatch} through {@link #main}, on the main thread.
 */
@Command(
    name = "raftwatch",
    mixinStandardHelpOptions = true,
    versionProvider = RaftwatchCommand.Version.class,
    description = "Monitoring and alerting for etcd-like clusters.",
    subcommands = {ScrapeCommand.class, CheckCommand.class, RunCommand.class, ReportCommand.class,
        RulesCommand.class, ManifestsCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit status: 0 success, 1 a check failed (e.g. a member is down), "
        + "2 a mistake in the command line, config or certificate files; "
        + "check uses Nagios codes (see raftwatch check --help)."})
public final class RaftwatchCommand {

  /** Exit status for user mistakes: bad flags, config or certificate files. */
  public static final int USAGE = 2;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Log at info level (default: warnings only).")
  void verbose(boolean on) {
    // slf4j-simple reads this when the first logger is made, which is after parsing.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", on ? "info" : "warn");
  }

  public static void main(String[] args) {
    // NB: before the command line is built: building it makes the commands, and their static
    // loggers fix slf4j-simple's level, so the option's setter comes too late on its own.
    if (java.util.Arrays.asList(args).contains("--verbose")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new RaftwatchCommand());
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("raftwatch: " + e.getMessage() + " (see '"
          + cmd.getCommandSpec().qualifiedName() + " --help')");
      // USAGE, except for commands with their own convention (check: Nagios UNKNOWN).
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    });
    return cl;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RaftwatchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"raftwatch " + (v == null ? "(development build)" : v)};
    }
  }
}
