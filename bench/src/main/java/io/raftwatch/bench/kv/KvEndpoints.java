package io.raftwatch.bench.kv;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.raftwatch.raftkv.config.ConfigException;
import io.raftwatch.raftkv.config.TlsContexts;
import io.raftwatch.raftkv.config.TlsFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the kv load tools share: their {@code --option value} arguments, and one mutual-TLS gRPC
 * channel per client URL of {@code --endpoints}, with {@code --cacert}, {@code --cert}, {@code --key}.
 */
final class KvEndpoints implements AutoCloseable {
  final List<ManagedChannel> channels = new ArrayList<>();

  private KvEndpoints() {}

  static KvEndpoints connect(Map<String, String> opts) throws ConfigException {
    TlsFiles tls = new TlsFiles("", Path.of(opts.get("cert")), Path.of(opts.get("key")),
        Path.of(opts.get("cacert")), true);
    SslContext ssl = TlsContexts.grpcClient(tls);
    KvEndpoints endpoints = new KvEndpoints();
    for (String endpoint : opts.get("endpoints").split(",")) {
      URI url = URI.create(endpoint);
      endpoints.channels.add(NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
          .sslContext(ssl).build());
    }
    return endpoints;
  }

  /** {@code --name value} pairs; the TLS files and endpoints are required, plus {@code more}. */
  static Map<String, String> options(String[] args, String... more) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException(
            "expected --option value at argument " + (i + 1) + ": " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    List<String> required = new ArrayList<>(List.of("endpoints", "cacert", "cert", "key"));
    required.addAll(List.of(more));
    for (String name : required) {
      if (!opts.containsKey(name)) {
        throw new IllegalArgumentException("missing --" + name + " (see the class Javadoc)");
      }
    }
    return opts;
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
