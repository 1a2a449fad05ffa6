package io.raftwatch.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code raftwatch manifests} as a user runs it: files into --out, one YAML stream with --stdout,
 * and for a bad config a message naming file, line and field, exit 2 and nothing written.
 */
class ManifestsCommandTest {
  private static final String KEY_TEXT = "not-a-real-key-but-secret-all-the-same";
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path dir;

  private int run(String... args) {
    CommandLine cl = RaftwatchCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path config(String members, String kubernetes) throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("client.crt"), "-----BEGIN CERTIFICATE-----\nQ0w=\n-----END CERTIFICATE-----\n");
    Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nS0U=\n-----END PRIVATE KEY-----\n");
    Path file = dir.resolve("raftwatch.yaml");
    Files.writeString(file, """
        clusters:
          - name: prod
            tls:
              caFile: ca.crt
              certFile: client.crt
              keyFile: client.key
            members:
        %s
            kubernetes:
              namespace: kube-system
        %s
        """.formatted(members.indent(6).stripTrailing(), kubernetes.indent(6).stripTrailing()));
    return file;
  }

  @Test
  void writesEveryFileIntoTheOutputDirectoryAndTheSecretForItsOwnerOnly() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}", "");
    Path outDir = dir.resolve("out");
    assertThat(run("manifests", "--config", config.toString(), "--out", outDir.toString()))
        .as(err.toString()).isZero();
    try (Stream<Path> files = Files.list(outDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("kustomization.yaml",
          "prod-secret.yaml", "prod-service.yaml", "prod-ipv4.yaml", "prod-servicemonitor.yaml",
          "prod-etcd-rules.yaml", "raftwatch-etcd-dashboard.yaml", "etcd.json");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outDir.resolve("prod-secret.yaml"))))
        .isEqualTo("rw-------");
    assertThat(out.toString()).contains(outDir.resolve("kustomization.yaml").toString());
  }

  @Test
  void stdoutPrintsTheObjectsAsOneYamlStream() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}", "");
    assertThat(run("manifests", "--config", config.toString(), "--stdout")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("---\n").contains("kind: ServiceMonitor\n",
        "kind: EndpointSlice\n", "kind: PrometheusRule\n", "kind: ConfigMap\n")
        .doesNotContain("kind: Kustomization");
    assertThat(out.toString().split("\n---\n")).hasSize(6);
  }

  @Test
  void membersByDnsNameWithLegacyEndpointsAreAnErrorNamingFileLineAndFieldAndNothingIsWritten()
      throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://etcd-1.example.internal:2379\"}",
        "legacyEndpoints: true");
    Path outDir = dir.resolve("out");
    assertThat(run("manifests", "--config", config.toString(), "--out", outDir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(config + ":11: clusters[0].kubernetes.legacyEndpoints: "
        + "member etcd-1 is given by DNS name (etcd-1.example.internal)").contains("nothing written");
    assertThat(outDir).doesNotExist();
  }

  @Test
  void aKeyFileThatIsNotPemIsNamedWithoutShowingItsContent() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}", "");
    Files.writeString(dir.resolve("client.key"), KEY_TEXT);
    Path outDir = dir.resolve("out");
    assertThat(run("manifests", "--config", config.toString(), "--out", outDir.toString()))
        .as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("clusters[prod].tls.keyFile: " + dir.resolve("client.key")
        + " holds no PEM private key block").doesNotContain(KEY_TEXT);
    assertThat(out.toString()).doesNotContain(KEY_TEXT);
    assertThat(outDir).doesNotExist();
  }

  @Test
  void aPrometheusSecretMountThatIsNotNamespaceSlashNameIsNamedWithItsLine() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}",
        "prometheusSecretMount: k8s");
    assertThat(run("manifests", "--config", config.toString(), "--stdout")).isEqualTo(2);
    assertThat(err.toString()).contains(config + ":11: clusters[0].kubernetes.prometheusSecretMount: "
        + "'k8s' is not namespace/name of a Prometheus resource");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theOlderStyleMountsTheSecretIntoPrometheusAndRefersToFiles() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}",
        "prometheusSecretMount: monitoring/k8s");
    Path outDir = dir.resolve("out");
    assertThat(run("manifests", "--config", config.toString(), "--out", outDir.toString()))
        .as(err.toString()).isZero();
    assertThat(Files.readString(outDir.resolve("prod-servicemonitor.yaml")))
        .contains("keyFile: \"/etc/prometheus/secrets/prod-client-tls/client.key\"")
        .doesNotContain("keySecret");
    assertThat(Files.readString(outDir.resolve("prod-prometheus-secrets-patch.yaml")))
        .contains("kubectl -n monitoring patch prometheus k8s", "  secrets:\n    - \"prod-client-tls\"");
    assertThat(Files.readString(outDir.resolve("prod-secret.yaml"))).contains("namespace: \"monitoring\"");
    assertThat(Files.readString(outDir.resolve("kustomization.yaml"))).doesNotContain("patch");
  }

  @Test
  void anUnknownClusterIsAnError() throws Exception {
    Path config = config("- {name: etcd-1, url: \"https://11.0.64.5:2379\"}", "");
    assertThat(run("manifests", "--config", config.toString(), "--cluster", "nope", "--stdout"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no cluster 'nope'");
  }
}
