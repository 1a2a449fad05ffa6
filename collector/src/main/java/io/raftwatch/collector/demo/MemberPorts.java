package io.raftwatch.collector.demo;

import java.net.URI;

/**
 * Where one demo member listens, all on 127.0.0.1: clients (the etcd API, etcdctl's
 * {@code --endpoints}), peers (Raft traffic between members) and metrics ({@code /metrics} and
 * {@code /health}, what the collector scrapes). Every listener is https with mutual TLS.
 */
public record MemberPorts(String name, int client, int peer, int metrics) {

  public URI clientUrl() {
    return url(client);
  }

  public URI peerUrl() {
    return url(peer);
  }

  public URI metricsUrl() {
    return url(metrics);
  }

  private static URI url(int port) {
    return URI.create("https://127.0.0.1:" + port);
  }
}
