package io.raftwatch.collector.exposition;

/**
 * The metadata of one metric family as a scrape declared it.
 *
 * @param name the family name (for an OpenMetrics counter, without {@code _total})
 * @param type the TYPE, {@link MetricType#UNTYPED} when none was given
 * @param help the HELP text unescaped, "" when none was given
 * @param unit the OpenMetrics UNIT, "" when none was given
 * @param samples how many samples of the scrape belong to the family
 */
public record MetricFamily(String name, MetricType type, String help, String unit, int samples) {}
