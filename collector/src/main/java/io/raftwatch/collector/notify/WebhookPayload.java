package io.raftwatch.collector.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftwatch.collector.tsdb.Labels;
import java.util.List;

/**
 * Alertmanager's webhook payload, version 4 ({@code notify/webhook} and {@code template.Data}):
 * {@code receiver}, {@code status}, {@code alerts[]} (status, labels, annotations, startsAt,
 * endsAt, generatorURL, fingerprint), {@code groupLabels}, {@code commonLabels}, {@code
 * commonAnnotations}, {@code externalURL}, {@code version}, {@code groupKey}, {@code
 * truncatedAlerts}. A firing alert's {@code endsAt} is Go's zero time, as Alertmanager hides a
 * lease that has not run out. Stateless.
 */
final class WebhookPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookPayload() {}

  static byte[] encode(String receiver, WebhookMessage message, String externalUrl) {
    ObjectNode root = JSON.createObjectNode();
    root.put("receiver", receiver);
    root.put("status", message.status());
    ArrayNode alerts = root.putArray("alerts");
    for (OutgoingAlert a : message.alerts()) {
      boolean resolved = a.resolvedAt(message.at());
      ObjectNode o = alerts.addObject();
      o.put("status", resolved ? "resolved" : "firing");
      o.set("labels", AlertmanagerPayload.labelSet(a.labels()));
      o.set("annotations", AlertmanagerPayload.labelSet(a.annotations()));
      o.put("startsAt", WireTime.goTime(a.startsAt()));
      o.put("endsAt", resolved ? WireTime.goTime(a.endsAt()) : WireTime.GO_ZERO);
      o.put("generatorURL", a.generatorUrl());
      o.put("fingerprint", a.fingerprint());
    }
    root.set("groupLabels", AlertmanagerPayload.labelSet(message.groupLabels()));
    root.set("commonLabels", AlertmanagerPayload.labelSet(
        common(message.alerts().stream().map(OutgoingAlert::labels).toList())));
    root.set("commonAnnotations", AlertmanagerPayload.labelSet(
        common(message.alerts().stream().map(OutgoingAlert::annotations).toList())));
    root.put("externalURL", externalUrl);
    root.put("version", "4");
    root.put("groupKey", message.groupKey());
    root.put("truncatedAlerts", 0);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always encodes", e);
    }
  }

  /** The pairs every set has with the same value. */
  static Labels common(List<Labels> sets) {
    if (sets.isEmpty()) {
      return Labels.EMPTY;
    }
    Labels first = sets.get(0);
    Labels.Builder b = Labels.builder();
    first.forEach((name, value) -> {
      if (sets.stream().allMatch(s -> value.equals(s.get(name)))) {
        b.set(name, value);
      }
    });
    return b.build();
  }
}
