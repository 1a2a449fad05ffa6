package io.raftwatch.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading raftwatch.yaml: the documented example, defaults, and every kind of mistake. */
class ConfigLoaderTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void documentedExampleLoads() throws Exception {
    Path root = Path.of(System.getProperty("raftwatch.root", ".."));
    String doc = Files.readString(root.resolve("docs/configuration.md"));
    String yaml = doc.substring(doc.indexOf("```yaml\n") + 8, doc.indexOf("```", doc.indexOf("```yaml\n") + 8));
    Path file = Files.writeString(dir.resolve("raftwatch.yaml"), yaml);

    RaftwatchConfig config = loader.load(file);

    ClusterConfig prod = config.cluster("prod-etcd").orElseThrow();
    assertThat(prod.job()).isEqualTo("etcd");
    assertThat(prod.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(prod.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(prod.bodySizeLimitBytes()).isEqualTo(50L << 20);
    assertThat(prod.labels()).isEqualTo(Map.of("env", "production", "region", "eu-west-1"));
    assertThat(prod.members()).extracting(MemberConfig::name).containsExactly("etcd-1", "etcd-2", "etcd-3");
    MemberConfig first = prod.members().get(0);
    assertThat(first.scrapeUrl()).isEqualTo(URI.create("https://11.0.64.5:2381/metrics"));
    assertThat(first.instance()).isEqualTo("11.0.64.5:2381");
    TlsConfig tls = prod.tls().orElseThrow();
    assertThat(tls.caFile()).contains(dir.resolve("pki/ca.crt"));
    assertThat(tls.keyFile()).contains(dir.resolve("pki/client.key"));
    assertThat(tls.serverName()).contains("etcd.internal");
    assertThat(tls.insecureSkipVerify()).isFalse();
    assertThat(prod.ruleFiles()).containsExactly(dir.resolve("../alert-rules/etcd.rules.yml").normalize());
    KubernetesConfig k8s = prod.kubernetes();
    assertThat(k8s.namespace()).isEqualTo("kube-system");
    assertThat(k8s.serviceName()).isEqualTo("etcd-metrics");
    assertThat(k8s.metricsPort()).isEqualTo(KubernetesConfig.MetricsPort.METRICS);
    assertThat(k8s.existingSecret()).contains("etcd-certs");
    assertThat(k8s.ruleLabels()).containsEntry("release", "kube-prometheus-stack");
  }

  @Test
  void minimalClusterGetsPrometheusDefaults() throws Exception {
    RaftwatchConfig config = parse("""
        clusters:
          - name: Dev_Etcd
            members:
              - url: http://127.0.0.1:2379
        """);

    ClusterConfig dev = config.clusters().get(0);
    assertThat(dev.job()).isEqualTo("Dev_Etcd");
    assertThat(dev.members().get(0).name()).isEqualTo("127.0.0.1:2379");
    assertThat(dev.members().get(0).scrapeUrl()).isEqualTo(URI.create("http://127.0.0.1:2379/metrics"));
    assertThat(dev.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(dev.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(dev.tls()).isEmpty();
    assertThat(dev.kubernetes().serviceName()).isEqualTo("dev-etcd");
    assertThat(dev.kubernetes().metricsPort()).isEqualTo(KubernetesConfig.MetricsPort.CLIENT);
    assertThat(dev.checkCron()).as("checked every scrape interval").isEmpty();
  }

  @Test
  void checkCronSchedulesTheHealthCheckAndMustBeQuartzCron() throws Exception {
    assertThat(parse("""
        clusters:
          - name: prod
            checkCron: "0 */5 * * * ?"
            members: [{url: "http://127.0.0.1:2379"}]
        """).clusters().get(0).checkCron()).contains("0 */5 * * * ?");
    assertProblems("""
        clusters:
          - name: prod
            checkCron: every five minutes
            members: [{url: "http://127.0.0.1:2379"}]
        """,
        "raftwatch.yaml:3: clusters[0].checkCron: 'every five minutes' is not a Quartz cron"
            + " expression; expected 6 or 7 fields starting with seconds, e.g. '0 30 3 * * ?' (03:30"
            + " every day)");
  }

  @Test
  void shortIntervalLowersTheDefaultTimeout() throws Exception {
    ClusterConfig c = parse("""
        clusters:
          - name: a
            scrapeInterval: 5s
            members: [{url: "http://127.0.0.1:2379"}]
        """).clusters().get(0);

    assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badUrlIsReportedWithFileLineAndField() {
    assertProblems("""
        clusters:
          - name: prod
            tls:
              caFile: ca.crt
            members:
              - url: https://10.0.0.1:2379
              - url: htps://10.0.0.1:2379
        """,
        "raftwatch.yaml:7: clusters[0].members[1].url: 'htps://10.0.0.1:2379' is not an http(s) URL; "
            + "expected e.g. https://10.0.0.1:2379");
  }

  @Test
  void everyMistakeIsReportedAtOnceInFileOrder() {
    assertProblems("""
        clusters:
          - name: prod
            lables: {env: prod}
            scrapeInterval: 15s
            scrapeTimeout: 30s
            labels:
              job: other
              9lives: x
            tls:
              certFile: client.crt
              insecureSkipVerify: yes please
            members:
              - name: a
                url: https://10.0.0.1:2379
              - name: a
                url: https://10.0.0.2:2379
        """,
        "raftwatch.yaml:3: clusters[0].lables: unknown field; expected one of name, job, members, tls, "
            + "labels, scrapeInterval, scrapeTimeout, bodySizeLimit, ruleFiles, kubernetes, maintenance, checkCron",
        "raftwatch.yaml:5: clusters[0].scrapeTimeout: 30s is longer than scrapeInterval 15s; a scrape must end before the next starts",
        "raftwatch.yaml:7: clusters[0].labels.job: 'job' is set by raftwatch itself; choose another label name (reserved: job, instance, cluster, member, __*)",
        "raftwatch.yaml:8: clusters[0].labels.9lives: '9lives' is not a label name; expected letters, digits and '_', not starting with a digit",
        "raftwatch.yaml:10: clusters[0].tls: certFile is given without keyFile; a client certificate needs its key",
        "raftwatch.yaml:11: clusters[0].tls.insecureSkipVerify: 'yes please' is not true or false",
        "raftwatch.yaml:15: clusters[0].members[1].name: 'a' is already the name of members[0]");
  }

  @Test
  void badDurationsAndSizesSayWhatWasExpected() {
    assertProblems("""
        clusters:
          - name: prod
            scrapeInterval: 15 seconds
            bodySizeLimit: lots
            members: [{url: "http://127.0.0.1:2379"}]
        """,
        "raftwatch.yaml:3: clusters[0].scrapeInterval: '15 seconds' is not a duration; expected e.g. 15s, 1m, 1m30s, 500ms",
        "raftwatch.yaml:4: clusters[0].bodySizeLimit: 'lots' is not a size; expected e.g. 50MiB, 512KiB, 1GiB or a number of bytes");
  }

  @Test
  void missingPiecesAreNamed() {
    assertProblems("""
        clusters:
          - job: x
            members: []
          - name: y
        """,
        "raftwatch.yaml:2: clusters[0].name: missing",
        "raftwatch.yaml:3: clusters[0].members: must list at least one entry",
        "raftwatch.yaml:4: clusters[1].members: missing");
    assertProblems("clusters: {}\n", "raftwatch.yaml:1: clusters: expected a list, got a mapping");
    assertProblems("", "raftwatch.yaml: the file is empty; expected a mapping with 'clusters:'");
  }

  @Test
  void kubernetesNamesMustBeValid() {
    assertProblems("""
        clusters:
          - name: prod
            members: [{url: "https://10.0.0.1:2379"}]
            kubernetes:
              namespace: Kube_System
              metricsPort: metrics
              legacyEndpoints: true
        """,
        "raftwatch.yaml:5: clusters[0].kubernetes.namespace: 'Kube_System' is not a valid Kubernetes "
            + "name; expected at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
        "raftwatch.yaml:6: clusters[0].kubernetes.metricsPort: 'metrics' needs a metricsUrl on every member");
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    assertThatThrownBy(() -> parse("""
        clusters:
          - name: prod
            members: [ {url: x}
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("raftwatch.yaml:3: not valid YAML: while parsing a flow sequence; "
            + "expected ',' or ']', but got <stream end>");
  }

  @Test
  void duplicateKeyIsAnError() {
    assertProblems("""
        clusters:
          - name: a
            name: b
            members: [{url: "http://127.0.0.1:2379"}]
        """, "raftwatch.yaml:3: name: appears twice in the same mapping (first on line 2)");
  }

  @Test
  void duplicateClusterNamesAndScrapeUrls() {
    assertProblems("""
        clusters:
          - name: a
            members:
              - {name: m1, url: "https://10.0.0.1:2379"}
              - {name: m2, url: "https://10.0.0.1:2379/metrics"}
          - name: a
            members: [{url: "http://127.0.0.1:2379"}]
        """,
        "raftwatch.yaml:5: clusters[0].members[1]: scrapes https://10.0.0.1:2379/metrics, as members[0] does",
        "raftwatch.yaml:6: clusters[1].name: 'a' is already the name of clusters[0]");
  }

  @Test
  void missingFileIsOneLine() {
    Path absent = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> loader.load(absent)).hasMessage(absent + ": file not found");
  }

  @Test
  void etcdctlFlagsBuildOneCluster() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
    Path cert = Files.writeString(dir.resolve("c.crt"), "x");
    Path key = Files.writeString(dir.resolve("c.key"), "x");

    RaftwatchConfig config = EndpointsConfig.fromFlags("etcd",
        List.of("https://127.0.0.1:2379", "127.0.0.1:22379"), Optional.of(ca), Optional.of(cert),
        Optional.of(key), false);

    ClusterConfig c = config.clusters().get(0);
    assertThat(c.members()).extracting(m -> m.scrapeUrl().toString())
        .containsExactly("https://127.0.0.1:2379/metrics", "https://127.0.0.1:22379/metrics");
    assertThat(c.members()).extracting(MemberConfig::name).containsExactly("127.0.0.1:2379", "127.0.0.1:22379");
    assertThat(c.tls().orElseThrow().certFile()).contains(cert);
  }

  @Test
  void etcdctlFlagMistakesNameTheFlag() {
    assertThatThrownBy(() -> EndpointsConfig.fromFlags("etcd", List.of("htps://x:1"),
        Optional.of(dir.resolve("nope.crt")), Optional.empty(), Optional.empty(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--endpoints: 'htps://x:1' is not an http(s) URL or host:port; expected e.g. https://10.0.0.1:2379\n"
            + "--cacert: file " + dir.resolve("nope.crt") + " does not exist");
  }

  private RaftwatchConfig parse(String yaml) throws ConfigException {
    return loader.parse("raftwatch.yaml", yaml, dir);
  }

  private void assertProblems(String yaml, String... expected) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(ConfigException.class, e ->
            assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(expected));
  }
}
