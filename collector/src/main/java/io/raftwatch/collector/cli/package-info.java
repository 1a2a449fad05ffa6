/**
 * The {@code raftwatch} command line (picocli): {@link io.raftwatch.collector.cli.RaftwatchCommand}
 * is the root and only lists subcommands; each subcommand is the composition root of what it runs.
 * User mistakes (bad config, unusable certificate files, bad flags) print one line per problem
 * and exit 2; stack traces are for bugs only. Logging is slf4j-simple at warn, info with {@code
 * --verbose}.
 */
package io.raftwatch.collector.cli;
