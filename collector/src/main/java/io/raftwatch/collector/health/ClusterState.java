package io.raftwatch.collector.health;

import io.raftwatch.collector.rules.AlertState;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the latest run of one cluster's health check saw: each member's scrape and the pending and
 * firing alerts. Immutable; made by {@link ClusterWatch} on the job thread, read by anyone (the
 * web page, the check command, reports).
 *
 * @param cluster the cluster's name
 * @param evaluatedAt when the rules were last evaluated; empty before the first run
 * @param members each member, in config order
 * @param alerts pending and firing alerts, in rule order
 * @param ruleProblems rules whose latest evaluation failed, one line each, for people
 */
public record ClusterState(String cluster, Optional<Instant> evaluatedAt, List<Member> members,
    List<ActiveAlert> alerts, List<String> ruleProblems) {

  public ClusterState {
    members = List.copyOf(members);
    alerts = List.copyOf(alerts);
    ruleProblems = List.copyOf(ruleProblems);
  }

  /**
   * One member as its latest scrape saw it.
   *
   * @param name the member's name in the config
   * @param instance host:port of its metrics endpoint
   * @param up whether the latest scrape succeeded
   * @param isLeader {@code etcd_server_is_leader}; empty when the member is down or did not say
   * @param hasLeader {@code etcd_server_has_leader}; empty when the member is down or did not say
   * @param lastError why the latest scrape failed; empty when up
   * @param lastScrape when the latest scrape started; empty before the first
   */
  public record Member(String name, String instance, boolean up, Optional<Boolean> isLeader,
      Optional<Boolean> hasLeader, Optional<String> lastError, Optional<Instant> lastScrape) {}

  /**
   * A pending or firing alert.
   *
   * @param alertname the rule's name
   * @param state pending or firing
   * @param severity the {@code severity} label, "" when the rule sets none
   * @param labels the alert's labels, sorted by name
   * @param annotations its expanded annotations, sorted by name
   * @param value the expression's value at the latest evaluation
   * @param activeAt since when the expression has returned it
   * @param firedAt when it started firing; empty while pending
   */
  public record ActiveAlert(String alertname, AlertState state, String severity,
      SortedMap<String, String> labels, SortedMap<String, String> annotations, double value,
      Instant activeAt, Optional<Instant> firedAt) {
    public ActiveAlert {
      labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
      annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }
  }

  /** The member that says it leads, if exactly one does. */
  public Optional<Member> leader() {
    List<Member> leaders = members.stream().filter(m -> m.isLeader().orElse(false)).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  /** The alerts in {@code state}. */
  public List<ActiveAlert> alerts(AlertState state) {
    return alerts.stream().filter(a -> a.state() == state).toList();
  }
}
