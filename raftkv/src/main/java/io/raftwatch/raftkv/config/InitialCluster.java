package io.raftwatch.raftkv.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code --initial-cluster}: member name to its peer URLs, in the order given; a name
 * may appear several times, once per URL, as etcd allows.
 */
public record InitialCluster(Map<String, List<URI>> members) {
  public InitialCluster {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  static InitialCluster parse(String text, String origin) throws ConfigException {
    Map<String, List<URI>> members = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new ConfigException(origin + ": \"" + item + "\" is not name=url");
      }
      URI url = Urls.parse(item.substring(eq + 1), origin);
      members.computeIfAbsent(item.substring(0, eq), k -> new ArrayList<>()).add(url);
    }
    return new InitialCluster(members);
  }

  /** Each member's id as etcd derives it from its peer URLs and the cluster token. */
  public Map<String, Long> memberIds(String clusterToken) {
    Map<String, Long> ids = new LinkedHashMap<>();
    members.forEach(
        (name, urls) ->
            ids.put(
                name, MemberIds.member(urls.stream().map(URI::toString).toList(), clusterToken)));
    return ids;
  }

  public long clusterId(String clusterToken) {
    return MemberIds.cluster(memberIds(clusterToken).values());
  }
}
