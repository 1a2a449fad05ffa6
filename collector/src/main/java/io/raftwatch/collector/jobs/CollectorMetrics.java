package io.raftwatch.collector.jobs;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.rules.AlertState;
import java.util.List;
import java.util.Locale;

/**
 * The collector's own job and alert metrics, registered on the collector's registry (never the
 * default one). Updated by the Quartz worker threads; thread-safe. The {@code cluster} label is ""
 * for jobs that are not about one cluster (report, retention).
 *
 * <pre>
 * raftwatch_collector_job_runs_total{job="health-check",cluster="prod",outcome="success"} 240
 * raftwatch_collector_job_duration_seconds_bucket{job="health-check",cluster="prod",le="0.25"} 238
 * raftwatch_collector_job_misfires_total{job="health-check",cluster="prod"} 1
 * raftwatch_collector_job_last_success_timestamp_seconds{job="health-check",cluster="prod"} 1.7e9
 * raftwatch_collector_alerts{cluster="prod",state="firing"} 2
 * raftwatch_collector_alert_events_total{cluster="prod",kind="resolved"} 4
 * raftwatch_collector_listener_failures_total{listener="AlertmanagerNotifier"} 0
 * raftwatch_collector_check_status{cluster="prod"} 0
 * </pre>
 */
public final class CollectorMetrics {
  private final Counter runs;
  private final Histogram duration;
  private final Counter misfires;
  private final Gauge lastSuccess;
  private final Gauge alerts;
  private final Counter events;
  private final Counter listenerFailures;
  private final Gauge checkStatus;

  public CollectorMetrics(CollectorRegistry registry) {
    runs = Counter.build("raftwatch_collector_job_runs_total",
            "Runs of scheduled jobs, by outcome (success or failure).")
        .labelNames("job", "cluster", "outcome").register(registry);
    duration = Histogram.build("raftwatch_collector_job_duration_seconds",
            "Time a scheduled job's run took.")
        .labelNames("job", "cluster")
        .buckets(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        .register(registry);
    misfires = Counter.build("raftwatch_collector_job_misfires_total",
            "Times a job could not start on time (the previous run still ran, or no collector was "
                + "free) and its late fire was skipped rather than queued.")
        .labelNames("job", "cluster").register(registry);
    lastSuccess = Gauge.build("raftwatch_collector_job_last_success_timestamp_seconds",
            "When a job's latest successful run ended, in seconds since the epoch.")
        .labelNames("job", "cluster").register(registry);
    alerts = Gauge.build("raftwatch_collector_alerts",
            "Alerts pending or firing after the latest health check run on this collector.")
        .labelNames("cluster", "state").register(registry);
    events = Counter.build("raftwatch_collector_alert_events_total",
            "Alert transitions seen by this collector, by kind (pending, firing, resolved).")
        .labelNames("cluster", "kind").register(registry);
    listenerFailures = Counter.build("raftwatch_collector_listener_failures_total",
            "Alert event listeners (history, notifiers) that threw; the job went on.")
        .labelNames("listener").register(registry);
    checkStatus = Gauge.build("raftwatch_collector_check_status",
            "The latest health check's verdict as a Nagios code: 0 OK, 1 WARNING, 2 CRITICAL, "
                + "3 UNKNOWN.")
        .labelNames("cluster").register(registry);
  }

  void run(String job, String cluster, boolean success, double seconds, double endEpochSeconds) {
    runs.labels(job, cluster, success ? "success" : "failure").inc();
    duration.labels(job, cluster).observe(seconds);
    if (success) {
      lastSuccess.labels(job, cluster).set(endEpochSeconds);
    }
  }

  void misfire(String job, String cluster) {
    misfires.labels(job, cluster).inc();
  }

  void alerts(ClusterState state) {
    for (AlertState s : List.of(AlertState.PENDING, AlertState.FIRING)) {
      alerts.labels(state.cluster(), s.toString()).set(state.alerts(s).size());
    }
  }

  void events(List<AlertEvent> list) {
    for (AlertEvent e : list) {
      events.labels(e.cluster(), e.kind().name().toLowerCase(Locale.ROOT)).inc();
    }
  }

  void listenerFailed(String listener) {
    listenerFailures.labels(listener).inc();
  }

  void checkStatus(String cluster, int nagiosCode) {
    checkStatus.labels(cluster).set(nagiosCode);
  }

  /** Misfires counted so far for {@code job} of {@code cluster}; for tests and the web page. */
  public double misfires(String job, String cluster) {
    return misfires.labels(job, cluster).get();
  }
}
