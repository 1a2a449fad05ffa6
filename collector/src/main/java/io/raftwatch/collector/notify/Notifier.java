package io.raftwatch.collector.notify;

import io.prometheus.client.CollectorRegistry;
import io.raftwatch.collector.config.AlertmanagerConfig;
import io.raftwatch.collector.config.NotifyConfig;
import io.raftwatch.collector.config.Secret;
import io.raftwatch.collector.config.WebhookConfig;
import io.raftwatch.collector.health.ClusterState;
import io.raftwatch.collector.history.AlertEvent;
import io.raftwatch.collector.history.AlertEventListener;
import io.raftwatch.collector.jobs.ClusterWatch;
import io.raftwatch.collector.jobs.Collector;
import io.raftwatch.collector.promql.ExprPrinter;
import io.raftwatch.collector.rules.AlertState;
import io.raftwatch.collector.rules.AlertingRule;
import io.raftwatch.collector.scrape.TlsMaterialException;
import io.raftwatch.collector.tsdb.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the collector's alerts to Alertmanagers and webhooks, as Prometheus's rule manager and
 * notifier do. The collector feeds it transitions ({@link #firing}, {@link #resolved}) from its job
 * threads; {@link #tick} (after each evaluation, and on a timer so resends happen on time) asks
 * each cluster's {@link AlertTracker} what is due and queues it. One sender thread posts the
 * queue to the Alertmanagers in batches of up to 256; webhook notifications go out on their own
 * thread. Neither the feeding methods nor {@code tick} ever block on the network.
 *
 * <p>Labels sent: the alert's own (the rule's labels and {@code alertname}), the cluster label
 * when the expression did not keep it, and the external labels the alert does not have.
 *
 * <p>Thread-safe. Built by the collector's composition root ({@code raftwatch run}); closed on
 * shutdown, which stops the timer and gives the queue one last try.
 */
public final class Notifier implements AlertEventListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  /** Prometheus's {@code maxBatchSize}. */
  static final int MAX_BATCH_SIZE = 256;
  /** The label that names the cluster on every series raftwatch scrapes. */
  static final String CLUSTER_LABEL = "cluster";
  /** How often the timer of {@link #attach} ticks: the most a resend can be late. */
  static final Duration TICK = Duration.ofSeconds(5);

  private final NotifyConfig config;
  private final Clock clock;
  private final String externalUrl;
  private final NotifyMetrics metrics;
  private final NotificationQueue queue;
  private final List<AlertmanagerSender> alertmanagers = new ArrayList<>();
  private final List<WebhookSender> webhooks = new ArrayList<>();
  private final Map<String, AlertTracker> trackers = new LinkedHashMap<>();
  private final Map<String, Duration> evaluationIntervals = new HashMap<>();
  private final ExecutorService posts;
  private final ExecutorService webhookThread;
  private final Thread sender;
  private final ScheduledExecutorService timer;
  private volatile boolean running = true;
  // The running collector whose latest states are reconciled at each tick; null in unit tests.
  private volatile Collector collector;

  /**
   * Builds the receivers' clients and starts the sender thread; when {@code tickEvery} is not
   * null, also a timer that calls {@link #tick()} that often.
   *
   * @param defaultExternalUrl the collector's own URL, used when the config gives none
   * @throws TlsMaterialException when a receiver's TLS files cannot be used
   */
  public Notifier(NotifyConfig config, String defaultExternalUrl, CollectorRegistry registry,
      Clock clock, Duration tickEvery) throws TlsMaterialException {
    this.config = config;
    this.clock = clock;
    this.externalUrl = config.externalUrl().map(Object::toString).orElse(defaultExternalUrl)
        .replaceAll("/+$", "");
    this.metrics = new NotifyMetrics(registry);
    this.queue = new NotificationQueue(config.queueCapacity());
    metrics.queueCapacity.set(config.queueCapacity());
    this.posts = Executors.newCachedThreadPool(daemon("raftwatch-notify-post"));
    this.webhookThread = Executors.newSingleThreadExecutor(daemon("raftwatch-notify-webhook"));
    OkHttpClient shared = new OkHttpClient();
    Instant now = clock.instant();
    for (AlertmanagerConfig am : config.alertmanagers()) {
      alertmanagers.add(new AlertmanagerSender(am,
          new ReceiverClient(shared, am.http(), Map.of(), now), metrics, posts));
    }
    for (WebhookConfig hook : config.webhooks()) {
      Map<String, String> headers = new LinkedHashMap<>();
      hook.headers().forEach((k, v) -> headers.put(k, v.reveal()));
      webhooks.add(new WebhookSender(hook, new ReceiverClient(shared, hook.http(), headers, now),
          metrics, webhookThread, this, externalUrl));
    }
    this.sender = daemon("raftwatch-notify-send").newThread(this::sendLoop);
    if (!alertmanagers.isEmpty()) {
      sender.start();
    }
    if (tickEvery != null && config.enabled()) {
      timer = Executors.newSingleThreadScheduledExecutor(daemon("raftwatch-notify-tick"));
      timer.scheduleWithFixedDelay(this::tickQuietly, tickEvery.toMillis(), tickEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
    if (config.enabled()) {
      log.info("Notifications: {} Alertmanager set(s), {} webhook(s), resend every {}",
          alertmanagers.size(), webhooks.size(), config.resendDelay());
    }
  }

  /**
   * Builds the notifier for {@code collector}'s {@code notify:} section, registers it as an alert
   * listener and starts its timer (every 5 seconds, so that resends are at most that late).
   * Call before {@link Collector#start()}.
   *
   * @param defaultExternalUrl the collector's own URL ({@code --listen}), unless configured
   * @throws TlsMaterialException when a receiver's TLS files cannot be used
   */
  public static Notifier attach(Collector collector, String defaultExternalUrl)
      throws TlsMaterialException {
    Notifier n = new Notifier(collector.config().notifications(), defaultExternalUrl,
        collector.registry(), collector.options().clock(), TICK);
    n.collector = collector;
    collector.addListener(n);
    return n;
  }

  /**
   * Takes one evaluation's transitions (on the job thread): firing and resolved alerts are
   * tracked, pending ones ignored, and what is due is queued at once, as Prometheus sends right
   * after an evaluation.
   */
  @Override
  public void onEvents(List<AlertEvent> events) {
    synchronized (this) {
      for (AlertEvent e : events) {
        switch (e.kind()) {
          case FIRING -> firing(e.cluster(), evaluationInterval(e.cluster()), Labels.of(e.labels()),
              Labels.of(e.annotations()), e.at(), expression(e.cluster(), e.alertname()));
          case RESOLVED -> resolved(e.cluster(), Labels.of(e.labels()), e.at());
          case PENDING -> {
            // Prometheus never sends pending alerts.
          }
        }
      }
      tick();
    }
  }

  /**
   * An alert of {@code cluster} fires since {@code firedAt}.
   *
   * @param evaluationInterval how often the cluster's rules run; lengthens the lease
   * @param expr the rule's expression, for the {@code generatorURL}
   */
  public synchronized void firing(String cluster, Duration evaluationInterval, Labels labels,
      Labels annotations, Instant firedAt, String expr) {
    evaluationIntervals.put(cluster, evaluationInterval);
    tracker(cluster).firing(outgoingLabels(cluster, labels), annotations, firedAt,
        generatorUrl(expr));
  }

  /** An alert of {@code cluster} stopped firing at {@code resolvedAt}. */
  public synchronized void resolved(String cluster, Labels labels, Instant resolvedAt) {
    AlertTracker t = trackers.get(cluster);
    if (t != null) {
      t.resolved(outgoingLabels(cluster, labels), resolvedAt);
    }
  }

  /** Queues what is due now and starts the webhook notifications that are due. */
  public synchronized void tick() {
    if (!config.enabled()) {
      return;
    }
    reconcile();
    Instant now = clock.instant();
    List<OutgoingAlert> due = new ArrayList<>();
    for (AlertTracker t : trackers.values()) {
      due.addAll(t.due(now));
    }
    if (!due.isEmpty() && !alertmanagers.isEmpty()) {
      int dropped = queue.offer(due);
      if (dropped > 0) {
        log.warn("Alert notification queue full, dropping {} alerts", dropped);
        metrics.dropped.inc(dropped);
      }
      metrics.queueLength.set(queue.size());
    }
    for (WebhookSender w : webhooks) {
      w.offer(due);
      w.flush(now);
    }
  }

  /** Alerts waiting for the Alertmanagers. */
  public int queueLength() {
    return queue.size();
  }

  /** The URLs alerts are posted to, for start-up messages and the page. */
  public List<String> alertmanagerUrls() {
    return alertmanagers.stream().flatMap(a -> a.pushUrls().stream()).map(Object::toString).toList();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    running = false;
    if (sender.isAlive()) {
      sender.interrupt();
      try {
        sender.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    webhookThread.shutdown();
    try {
      webhookThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    webhookThread.shutdownNow();
    posts.shutdownNow();
  }

  /**
   * Takes the firing alerts of every cluster's latest state, so that alerts restored after a
   * restart (which make no new transition) are sent again, and annotations stay current.
   */
  private void reconcile() {
    Collector c = collector;
    if (c == null) {
      return;
    }
    for (ClusterWatch w : c.clusters()) {
      for (ClusterState.ActiveAlert a : w.state().alerts(AlertState.FIRING)) {
        firing(w.name(), evaluationInterval(w.name()), Labels.of(a.labels()),
            Labels.of(a.annotations()), a.firedAt().orElse(a.activeAt()),
            expression(w.name(), a.alertname()));
      }
    }
  }

  private Duration evaluationInterval(String cluster) {
    Collector c = collector;
    return c == null ? Duration.ZERO
        : c.cluster(cluster).map(w -> w.config().scrapeInterval()).orElse(Duration.ZERO);
  }

  /**
   * The alerting rule's expression as Prometheus prints it, for the generator URL; the rule's
   * name when the rule is not found (a restored alert of a rule since removed).
   */
  private String expression(String cluster, String alertname) {
    Collector c = collector;
    if (c == null) {
      return alertname;
    }
    return c.cluster(cluster).stream().flatMap(w -> w.ruleGroups().stream())
        .flatMap(g -> g.rules().stream())
        .filter(r -> r instanceof AlertingRule a && a.name().equals(alertname))
        .findFirst().map(r -> ExprPrinter.print(((AlertingRule) r).expr())).orElse(alertname);
  }

  private AlertTracker tracker(String cluster) {
    return trackers.computeIfAbsent(cluster, c -> new AlertTracker(config.resendDelay(),
        evaluationIntervals.getOrDefault(c, Duration.ZERO)));
  }

  private Labels outgoingLabels(String cluster, Labels labels) {
    Labels.Builder b = labels.toBuilder();
    if (!labels.has(CLUSTER_LABEL)) {
      b.set(CLUSTER_LABEL, cluster);
    }
    config.externalLabels().forEach((name, value) -> {
      if (!labels.has(name)) {
        b.set(name, value);
      }
    });
    return b.build();
  }

  /**
   * Prometheus's link to the expression's table view: {@code <external>/graph?g0.expr=...&g0.tab=1},
   * escaped as Go's {@code url.QueryEscape}.
   */
  String generatorUrl(String expr) {
    String escaped = URLEncoder.encode(expr, StandardCharsets.UTF_8)
        .replace("*", "%2A").replace("%7E", "~");
    return externalUrl + "/graph?g0.expr=" + escaped + "&g0.tab=1";
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.error("Notification tick failed", e);
    }
  }

  private void sendLoop() {
    while (running || queue.size() > 0) {
      List<OutgoingAlert> batch;
      try {
        batch = queue.take(MAX_BATCH_SIZE, 500);
      } catch (InterruptedException e) {
        if (running) {
          continue;
        }
        // Shutting down: one last try with what is queued, without waiting.
        batch = drainOnce();
        if (batch.isEmpty()) {
          return;
        }
      }
      metrics.queueLength.set(queue.size());
      if (batch.isEmpty()) {
        continue;
      }
      byte[] payload = AlertmanagerPayload.encode(batch);
      boolean allSetsTookIt = true;
      for (AlertmanagerSender am : alertmanagers) {
        allSetsTookIt &= am.send(payload, batch.size());
      }
      if (!allSetsTookIt) {
        metrics.dropped.inc(batch.size());
      }
    }
  }

  private List<OutgoingAlert> drainOnce() {
    try {
      return queue.take(MAX_BATCH_SIZE, 0);
    } catch (InterruptedException e) {
      return List.of();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Never shows secrets: configs print {@link Secret} values as {@code <secret>}. */
  @Override
  public String toString() {
    return "Notifier" + alertmanagerUrls() + " webhooks=" + webhooks.size();
  }
}
