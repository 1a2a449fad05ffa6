package io.raftwatch.collector.rules;

import io.raftwatch.collector.promql.Expr;
import io.raftwatch.collector.promql.Value.Sample;
import io.raftwatch.collector.rules.template.GoTemplate;
import io.raftwatch.collector.rules.template.TemplateException;
import io.raftwatch.collector.rules.template.TemplateFunctions;
import io.raftwatch.collector.tsdb.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code alert:} rule and the state of its alerts, as Prometheus's {@code rules/alerting.go}:
 *
 * <pre>
 *            expr returns it               held for `for`
 *  (none) ────────────────────▶ PENDING ───────────────────▶ FIRING
 *                                  │ expr stops returning it     │ expr stops returning it and
 *                                  ▼                             ▼ keep_firing_for has passed
 *                              (dropped)                     INACTIVE (resolvedAt), kept 15m
 * </pre>
 *
 * <p>Each evaluation writes {@code ALERTS{alertstate="pending"|"firing",...} 1} and {@code
 * ALERTS_FOR_STATE{...} <activeAt in seconds>} for every pending or firing alert. Called by its
 * {@link RuleGroup} on one thread at a time; {@link #activeAlerts()} returns copies.
 */
public final class AlertingRule implements Rule {
  /** How long a resolved alert is kept, so that it is reported as resolved (Prometheus: 15m). */
  public static final Duration RESOLVED_RETENTION = Duration.ofMinutes(15);

  private static final Logger LOG = LoggerFactory.getLogger(AlertingRule.class);
  private static final TemplateFunctions FUNCTIONS = new TemplateFunctions();

  private final String name;
  private final Expr expr;
  private final Duration holdDuration;
  private final Duration keepFiringFor;
  private final Map<String, String> labelTexts;
  private final Map<String, GoTemplate> labels;
  private final Map<String, GoTemplate> annotations;
  private final Map<String, String> annotationTexts;
  private final Map<String, String> externalLabels;
  private final String externalUrl;
  // Keyed by the alert's full label set. Invariant: no entry is INACTIVE for longer than
  // RESOLVED_RETENTION after its resolvedAt, as of the last evaluation.
  private final Map<Labels, Alert> active = new LinkedHashMap<>();

  /**
   * A rule named {@code name} alerting on {@code expr}.
   *
   * @param labels label templates added to each alert (values may use {@code $labels}, {@code
   *     $value})
   * @param annotations annotation templates
   * @throws TemplateException when a label or annotation template does not parse
   */
  public AlertingRule(
      String name,
      Expr expr,
      Duration holdDuration,
      Duration keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations,
      Map<String, String> externalLabels,
      String externalUrl)
      throws TemplateException {
    this.name = name;
    this.expr = expr;
    this.holdDuration = holdDuration;
    this.keepFiringFor = keepFiringFor;
    this.labelTexts = Map.copyOf(labels);
    this.labels = parseAll(name, labels);
    this.annotations = parseAll(name, annotations);
    this.annotationTexts = Map.copyOf(annotations);
    this.externalLabels = Map.copyOf(externalLabels);
    this.externalUrl = externalUrl;
  }

  private static Map<String, GoTemplate> parseAll(String name, Map<String, String> texts)
      throws TemplateException {
    Map<String, GoTemplate> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : texts.entrySet()) {
      out.put(e.getKey(), GoTemplate.parse("__alert_" + name, e.getValue()));
    }
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Expr expr() {
    return expr;
  }

  public Duration holdDuration() {
    return holdDuration;
  }

  public Duration keepFiringFor() {
    return keepFiringFor;
  }

  /** The rule's label templates, unexpanded. */
  public Map<String, String> labelTemplates() {
    return labelTexts;
  }

  /** The rule's annotation templates, unexpanded (for the rules API). */
  public Map<String, String> annotationTemplates() {
    return annotationTexts;
  }

  /** Copies of the alerts held now: pending, firing, and resolved within the last 15 minutes. */
  public List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>(active.size());
    for (Alert a : active.values()) {
      out.add(a.copy());
    }
    return out;
  }

  /**
   * Gives an alert back the state it had before a restart, as Prometheus restores alerts from
   * {@code ALERTS_FOR_STATE}: only when the evaluation just made (the first after the restart)
   * returned the alert again, so its {@code for} clock continues from {@code activeAt} instead of
   * starting over. An alert that had fired is firing again at once, with its original {@code
   * firedAt}; a pending one fires at the first evaluation at least {@code for} after {@code
   * activeAt}. A collector taking over from another (clustered) also uses it to adopt the state
   * the other one reported. Called by the rule's evaluating thread, between evaluations.
   *
   * @param labels the alert's full label set, {@code alertname} included
   * @param firedAt when it had started firing; empty if it was pending
   * @return whether the alert is active now and was restored
   */
  public boolean restore(Labels labels, Instant activeAt, Optional<Instant> firedAt) {
    Alert now = active.get(labels);
    if (now == null || now.state == AlertState.INACTIVE) {
      return false;
    }
    Alert restored = new Alert(labels, now.annotations, activeAt, now.value);
    if (firedAt.isPresent()) {
      restored.state = AlertState.FIRING;
      restored.firedAt = firedAt.get();
    }
    active.put(labels, restored);
    return true;
  }

  @Override
  public List<Sample> eval(Instant ts, QueryFunction query, int limit)
      throws RuleEvaluationException {
    List<Sample> result = RuleQueries.run(query, expr, ts);
    Map<Labels, Alert> current = new HashMap<>();
    for (Sample s : result) {
      Map<String, String> sampleLabels = new HashMap<>();
      s.labels().forEach(sampleLabels::put);
      Map<String, Object> data = new HashMap<>();
      data.put("Labels", sampleLabels);
      data.put("ExternalLabels", externalLabels);
      data.put("ExternalURL", externalUrl);
      data.put("Value", s.value());
      Map<String, Object> vars = new HashMap<>();
      vars.put("labels", sampleLabels);
      vars.put("externalLabels", externalLabels);
      vars.put("externalURL", externalUrl);
      vars.put("value", s.value());

      Labels.Builder lb = s.labels().toBuilder().remove(Labels.METRIC_NAME);
      for (Map.Entry<String, GoTemplate> e : labels.entrySet()) {
        lb.set(e.getKey(), expand(e.getValue(), data, vars));
      }
      lb.set("alertname", name);
      Labels.Builder ab = Labels.builder();
      for (Map.Entry<String, GoTemplate> e : annotations.entrySet()) {
        ab.set(e.getKey(), expand(e.getValue(), data, vars));
      }
      Labels alertLabels = lb.build();
      if (current.containsKey(alertLabels)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
      current.put(alertLabels, new Alert(alertLabels, ab.build(), ts, s.value()));
    }

    for (Alert a : current.values()) {
      Alert known = active.get(a.labels);
      if (known != null && known.state != AlertState.INACTIVE) {
        known.value = a.value;
        known.annotations = a.annotations;
        continue;
      }
      active.put(a.labels, a);
    }

    List<Sample> out = new ArrayList<>();
    int activeCount = 0;
    Set<Labels> returned = new HashSet<>(current.keySet());
    for (Iterator<Alert> it = active.values().iterator(); it.hasNext(); ) {
      Alert a = it.next();
      if (!returned.contains(a.labels)) {
        boolean keepFiring = false;
        if (a.state == AlertState.FIRING && !keepFiringFor.isZero()) {
          if (a.keepFiringSince == null) {
            a.keepFiringSince = ts;
          }
          keepFiring = Duration.between(a.keepFiringSince, ts).compareTo(keepFiringFor) < 0;
        }
        // A pending alert is dropped at once; a resolved one once it has been reported as
        // resolved for RESOLVED_RETENTION.
        if (a.state == AlertState.PENDING
            || (a.resolvedAt != null
                && Duration.between(a.resolvedAt, ts).compareTo(RESOLVED_RETENTION) > 0)) {
          it.remove();
        }
        if (a.state != AlertState.INACTIVE && !keepFiring) {
          a.state = AlertState.INACTIVE;
          a.resolvedAt = ts;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        a.keepFiringSince = null;
      }
      activeCount++;
      if (a.state == AlertState.PENDING
          && Duration.between(a.activeAt, ts).compareTo(holdDuration) >= 0) {
        a.state = AlertState.FIRING;
        a.firedAt = ts;
      }
      out.add(alertsSample(a, ts));
      out.add(forStateSample(a, ts));
    }
    if (limit > 0 && activeCount > limit) {
      active.clear();
      throw new RuleEvaluationException(
          "exceeded limit of " + limit + " with " + activeCount + " alerts");
    }
    return out;
  }

  private String expand(GoTemplate t, Map<String, Object> data, Map<String, Object> vars) {
    try {
      return t.execute(data, vars, FUNCTIONS);
    } catch (TemplateException e) {
      LOG.warn("Expanding alert template of {} failed: {}", name, e.getMessage());
      return "<error expanding template: " + e.getMessage() + ">";
    }
  }

  private static Sample alertsSample(Alert a, Instant ts) {
    Labels l =
        a.labels.toBuilder()
            .set(Labels.METRIC_NAME, "ALERTS")
            .set("alertstate", a.state.toString())
            .build();
    return new Sample(l, ts.toEpochMilli(), 1);
  }

  private static Sample forStateSample(Alert a, Instant ts) {
    Labels l = a.labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS_FOR_STATE").build();
    return new Sample(l, ts.toEpochMilli(), a.activeAt.getEpochSecond());
  }
}
