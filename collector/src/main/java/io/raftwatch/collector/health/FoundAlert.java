package io.raftwatch.collector.health;

import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.tsdb.Labels;

/**
 * A pending or firing alert the check found. Immutable.
 *
 * @param name the alert's name ({@code alertname})
 * @param state pending or firing
 * @param severity the {@code severity} label, "" when the rule sets none
 * @param summary the {@code summary} annotation, "" when the rule has none
 * @param labels the alert's labels
 */
public record FoundAlert(String name, AlertState state, String severity, String summary,
    Labels labels) {}
