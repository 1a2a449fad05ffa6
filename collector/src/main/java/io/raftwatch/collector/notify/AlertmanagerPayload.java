package io.raftwatch.collector.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftwatch.collector.tsdb.Labels;
import java.util.List;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of Alertmanager's {@code postableAlert}
 * ({@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}),
 * as Prometheus's notifier encodes it. Stateless.
 */
final class AlertmanagerPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertmanagerPayload() {}

  static byte[] encode(List<OutgoingAlert> alerts) {
    ArrayNode array = JSON.createArrayNode();
    for (OutgoingAlert a : alerts) {
      ObjectNode o = array.addObject();
      o.set("labels", labelSet(a.labels()));
      o.set("annotations", labelSet(a.annotations()));
      o.put("startsAt", WireTime.millis(a.startsAt()));
      o.put("endsAt", WireTime.millis(a.endsAt()));
      o.put("generatorURL", a.generatorUrl());
    }
    try {
      return JSON.writeValueAsBytes(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always encodes", e);
    }
  }

  static ObjectNode labelSet(Labels labels) {
    ObjectNode o = JSON.createObjectNode();
    labels.forEach(o::put);
    return o;
  }
}
