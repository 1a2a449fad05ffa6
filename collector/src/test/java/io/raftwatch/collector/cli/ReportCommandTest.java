package io.raftwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code raftwatch report}'s command line: its help, one clear line for each mistake (cluster,
 * duration, format, unreachable source naming its URL, a server that is not a Prometheus API),
 * and the bearer token sent but never printed. A mock HTTP server plays the API; the reports
 * themselves are tested against real Prometheus in {@code report.ReportPrometheusTest}.
 */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void helpNamesEveryOptionAndTheDefaults() {
    Result r = run("report", "--help");

    assertThat(r.exit).isZero();
    assertThat(r.out).contains("--config", "--cluster", "--since", "--format", "--out",
        "--prometheus", "--collector", "http://127.0.0.1:9095", "--bearer-token-file",
        "--api-cacert", "(default: 24h)", "(default: html)", "docs/report-schema.md");
  }

  @Test
  void unknownClusterNamesTheOnesTheConfigHas() throws IOException {
    Result r = run("report", "--config", config().toString(), "--cluster", "nope");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).isEqualTo("--cluster: no cluster 'nope' in " + dir.resolve("raftwatch.yaml")
        + "; it describes prod, staging\n");
  }

  @Test
  void severalClustersNeedCluster() throws IOException {
    Result r = run("report", "--config", config().toString());

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("describes 2 clusters (prod, staging); say which with --cluster");
  }

  @Test
  void badDurationAndFormatAreOneLineEach() throws IOException {
    Result since = run("report", "--config", config().toString(), "--cluster", "prod", "--since", "24x");
    Result format = run("report", "--config", config().toString(), "--cluster", "prod", "--format", "pdf");

    assertThat(since.exit).isEqualTo(2);
    assertThat(since.err).isEqualTo("raftwatch report: --since: '24x' is not a duration; "
        + "expected e.g. 15s, 1m, 1m30s, 500ms\n");
    assertThat(format.exit).isEqualTo(2);
    assertThat(format.err).isEqualTo(
        "raftwatch report: --format: unknown report format 'pdf'; use html, md or json\n");
  }

  @Test
  void unreachableCollectorIsNamed() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    Result r = run("report", "--config", config().toString(), "--cluster", "prod",
        "--collector", "http://127.0.0.1:" + closed);

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("raftwatch report: cannot reach http://127.0.0.1:" + closed
        + "/: connection refused\n");
    assertThat(r.out).isEmpty();
  }

  @Test
  void aServerThatIsNotAPrometheusApiIsUnreachable() throws IOException {
    try (MockWebServer server = server(request -> new MockResponse.Builder().code(200)
        .body("<html>hello</html>").build())) {
      Result r = run("report", "--config", config().toString(), "--cluster", "prod",
          "--prometheus", server.url("/").toString());

      assertThat(r.exit).isEqualTo(1);
      assertThat(r.err).startsWith("raftwatch report: " + server.url("/api/v1/")).endsWith(
          " did not answer as a Prometheus API: HTTP 200\n");
    }
  }

  @Test
  void bearerTokenIsSentAndNeverPrinted() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "s3cr3t-token\n");
    List<String> authorizations = new CopyOnWriteArrayList<>();
    try (MockWebServer server = server(request -> {
      authorizations.add(request.getHeaders().get("Authorization"));
      String body = request.getTarget().startsWith("/api/v1/alerts")
          ? "{\"status\":\"success\",\"data\":{\"alerts\":[]}}"
          : request.getTarget().startsWith("/api/v1/query_range")
              ? "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"
              : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
      return new MockResponse.Builder().code(200).body(body).build();
    })) {
      Result r = run("report", "--config", config().toString(), "--cluster", "prod",
          "--prometheus", server.url("/").toString(), "--bearer-token-file", token.toString(),
          "--format", "md");

      assertThat(r.exit).as(r.err).isZero();
      assertThat(authorizations).isNotEmpty().containsOnly("Bearer s3cr3t-token");
      assertThat(r.out + r.err).doesNotContain("s3cr3t");
      // Prometheus knows nothing of the cluster: no member answered, so the verdict is UNKNOWN.
      assertThat(r.out).startsWith("# Cluster prod: UNKNOWN\n");
    }
  }

  @Test
  void rejectedCredentialsStopTheReport() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "wrong");
    try (MockWebServer server = server(request -> new MockResponse.Builder().code(401)
        .body("unauthorized").build())) {
      Result r = run("report", "--config", config().toString(), "--cluster", "prod",
          "--prometheus", server.url("/").toString(), "--bearer-token-file", token.toString());

      assertThat(r.exit).isEqualTo(1);
      assertThat(r.err).contains("refused us: HTTP 401 (check the bearer token file or client certificate)")
          .doesNotContain("wrong");
    }
  }

  private Path config() throws IOException {
    return Files.writeString(dir.resolve("raftwatch.yaml"), """
        clusters:
          - name: prod
            members:
              - url: http://127.0.0.1:1
          - name: staging
            members:
              - url: http://127.0.0.1:2
        """);
  }

  private static MockWebServer server(java.util.function.Function<RecordedRequest, MockResponse> answer)
      throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer.apply(request);
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
