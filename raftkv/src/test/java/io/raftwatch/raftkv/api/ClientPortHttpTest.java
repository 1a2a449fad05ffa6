package io.raftwatch.raftkv.api;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftwatch.raftkv.local.InProcessTransport;
import io.raftwatch.raftkv.raft.ConfState;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's HTTP endpoints on the client port, beside gRPC, in plain text (over mutual TLS, HTTP/2
 * and HTTP/1.1, curl and etcdctl drive them in {@code RaftkvProcessClusterTest}): the first bytes
 * of a connection decide between HTTP/1.1 and gRPC, even when they arrive one at a time.
 */
class ClientPortHttpTest {
  @TempDir Path dataDir;
  private final InProcessTransport net = new InProcessTransport();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
  private ApiMember member;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    member = new ApiMember(1);
    member.start(dataDir, ConfState.ofVoters(1), net, clock);
    Instant end = Instant.now().plusSeconds(15);
    while (!member.leads()) {
      assertThat(Instant.now()).as("the single member leads").isBefore(end);
      Thread.sleep(20);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    member.stop(net);
    clock.shutdownNow();
  }

  @Test
  void httpAndGrpcShareTheClientPort() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> health = get(http, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"health\":\"true\"}");
    assertThat(get(http, "/version").body()).isEqualTo(EtcdHttp.VERSION);
    HttpResponse<String> metrics = get(http, "/metrics");
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("etcd_server_has_leader 1.0");
    HttpResponse<String> missing = get(http, "/v2/keys");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("404 page not found\n");

    channel = NettyChannelBuilder.forTarget(member.endpoint().substring("http://".length()))
        .usePlaintext().build();
    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
        .setValue(ByteString.copyFromUtf8("v")).build());
    assertThat(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build())
        .getKvs(0).getValue().toStringUtf8()).isEqualTo("v");
  }

  @Test
  void healthIsFalseWhileAnAlarmIsRaisedAndEveryAnswerIsCounted() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThat(get(http, "/health").statusCode()).isEqualTo(200);
    channel = NettyChannelBuilder.forTarget(member.endpoint().substring("http://".length()))
        .usePlaintext().build();
    MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
            .setMemberID(member.id).setAlarm(AlarmType.NOSPACE).build());
    HttpResponse<String> unhealthy = get(http, "/health");
    assertThat(unhealthy.statusCode()).isEqualTo(503);
    assertThat(unhealthy.body()).isEqualTo("{\"health\":\"false\"}");
    // etcd 3.4's names, without _total.
    assertThat(get(http, "/metrics").body())
        .contains("# TYPE etcd_server_health_success counter\netcd_server_health_success 1.0\n")
        .contains("# TYPE etcd_server_health_failures counter\netcd_server_health_failures 1.0\n");
  }

  @Test
  void aRequestLineArrivingByteByByteIsStillHttp() throws Exception {
    // "P" could begin HTTP/2's preface: the port must wait for the next byte before deciding.
    assertThat(rawRequest("P", "UT /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 405 Method Not Allowed").contains("allow: GET");
    assertThat(rawRequest("G", "ET /version HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK").endsWith(EtcdHttp.VERSION);
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(member.endpoint() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends first, waits so it arrives alone, sends rest; the whole response (connection closed). */
  private String rawRequest(String first, String rest) throws Exception {
    URI uri = URI.create(member.endpoint());
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      out.write(first.getBytes(US_ASCII));
      out.flush();
      Thread.sleep(200);
      out.write(rest.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), US_ASCII);
    }
  }
}
