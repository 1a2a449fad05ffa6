package io.raftwatch.collector.health;

import io.raftwatch.collector.rules.AlertState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints checks for people and for Nagios: the first line is the plugin's status line ({@code
 * CRITICAL - ...}), then per cluster its members (up, leader, has_leader, last error), the firing
 * and pending alerts with severity and summary, and what kept the check from being complete.
 * Stateless; called on the main thread.
 */
public final class CheckSummary {
  private CheckSummary() {}

  /** Writes the summary of {@code checks}, whose overall verdict is {@code status}. */
  public static void write(PrintWriter out, CheckStatus status, List<ClusterCheck> checks) {
    List<String> parts = new ArrayList<>();
    for (ClusterCheck c : checks) {
      parts.add(headline(c));
    }
    out.println(status + " - " + String.join("; ", parts));
    for (ClusterCheck c : checks) {
      out.println();
      out.println("cluster " + c.cluster() + ": " + c.status());
      table(out, c.members());
      alerts(out, c, AlertState.FIRING, "firing");
      alerts(out, c, AlertState.PENDING, "pending (their 'for' has not passed; they do not change the status)");
      if (!c.problems().isEmpty()) {
        out.println("  problems:");
        c.problems().forEach(p -> out.println("    " + p));
      }
    }
    out.flush();
  }

  /** One line for {@code c}: members up, the leader, alerts firing and pending. */
  public static String headline(ClusterCheck c) {
    long up = c.members().stream().filter(MemberStatus::up).count();
    String leader = c.members().stream().filter(m -> m.leader().orElse(false))
        .map(MemberStatus::member).findFirst().map(m -> "leader " + m).orElse("no leader seen");
    long firing = c.alerts().stream().filter(a -> a.state() == AlertState.FIRING).count();
    long pending = c.alerts().size() - firing;
    return c.cluster() + ": " + up + "/" + c.members().size() + " members up, " + leader + ", "
        + firing + " firing, " + pending + " pending";
  }

  private static void table(PrintWriter out, List<MemberStatus> members) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MEMBER", "UP", "LEADER", "HAS_LEADER", "ERROR"});
    for (MemberStatus m : members) {
      String who = m.member().equals(m.instance()) ? m.member() : m.member() + " (" + m.instance() + ")";
      rows.add(new String[] {who, m.up() ? "1" : "0", yesNo(m.leader()),
          yesNo(m.hasLeader()), m.error().orElse("")});
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static void alerts(PrintWriter out, ClusterCheck c, AlertState state, String title) {
    List<FoundAlert> list = c.alerts().stream().filter(a -> a.state() == state).toList();
    if (list.isEmpty()) {
      return;
    }
    out.println("  " + title + ":");
    for (FoundAlert a : list) {
      String where = a.labels().has("member") ? " member=" + a.labels().get("member") : "";
      out.println("    " + (a.severity().isEmpty() ? "-" : a.severity()) + "  " + a.name() + where
          + (a.summary().isEmpty() ? "" : "  " + a.summary()));
    }
  }

  private static String yesNo(Optional<Boolean> flag) {
    return flag.map(b -> b ? "yes" : "no").orElse("-");
  }
}
