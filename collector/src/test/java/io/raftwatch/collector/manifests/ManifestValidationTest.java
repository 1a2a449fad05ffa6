package io.raftwatch.collector.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.raftwatch.collector.config.RaftwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object rendered for the seed and for the other shapes of config (existing Secret, http
 * metrics port, the older mounted-files style, IPv4 and IPv6 members, members by DNS name,
 * insecureSkipVerify) validates against its schema in ../shared/schemas, and the objects fit
 * together: the ServiceMonitor selects the Service, names its port and the Secret's keys.
 */
class ManifestValidationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static KubernetesSchemas schemas;

  @TempDir static Path dir;

  @BeforeAll
  static void loadSchemas() throws Exception {
    schemas = new KubernetesSchemas();
    Path pki = Files.createDirectories(dir.resolve("pki"));
    for (String f : List.of("ca.crt", "client.crt", "client.key")) {
      Files.copy(SeedConfig.seedDir().resolve("pki").resolve(f), pki.resolve(f));
    }
  }

  static Stream<Arguments> configs() {
    String tls = """
            tls:
              caFile: pki/ca.crt
              certFile: pki/client.crt
              keyFile: pki/client.key
        """;
    return Stream.of(
        Arguments.of("seed", null),
        Arguments.of("existing secret, metrics port", """
            clusters:
              - name: prod
            %s
                members:
                  - {name: etcd-a, url: "https://10.1.0.1:2379", metricsUrl: "https://10.1.0.1:2381"}
                  - {name: etcd-b, url: "https://10.1.0.2:2379", metricsUrl: "https://10.1.0.2:2381"}
                kubernetes:
                  namespace: monitoring
                  existingSecret: etcd-certs
            """.formatted(tls)),
        Arguments.of("plain http metrics port", """
            clusters:
              - name: dev
                members:
                  - {name: m1, url: "https://10.1.0.1:2379", metricsUrl: "http://10.1.0.1:2381"}
                kubernetes: {metricsPort: metrics}
            """),
        Arguments.of("older mounted-files style", """
            clusters:
              - name: old
            %s
                members:
                  - {name: m1, url: "https://10.1.0.1:2379"}
                kubernetes:
                  namespace: kube-system
                  prometheusSecretMount: monitoring/k8s
            """.formatted(tls)),
        Arguments.of("IPv4 and IPv6 members, two ports", """
            clusters:
              - name: dual
            %s
                members:
                  - {name: m1, url: "https://10.1.0.1:2379"}
                  - {name: m2, url: "https://[fd00::2]:2379"}
                  - {name: m3, url: "https://10.1.0.3:2479"}
                kubernetes: {legacyEndpoints: true}
            """.formatted(tls)),
        Arguments.of("members by DNS name, insecureSkipVerify", """
            clusters:
              - name: dns
                tls:
                  certFile: pki/client.crt
                  keyFile: pki/client.key
                  insecureSkipVerify: true
                members:
                  - {name: m1, url: "https://etcd-1.example.internal:2379"}
                  - {name: m2, url: "https://etcd-2.example.internal:2379"}
            """));
  }

  private static ManifestSet render(String config) throws Exception {
    RaftwatchConfig loaded = config == null ? SeedConfig.load() : SeedConfig.load(dir, config);
    return ManifestSet.render(loaded, ManifestTemplates.bundled());
  }

  private static List<JsonNode> objects(ManifestSet set) throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (RenderedFile f : set.files()) {
      if (f.kind() == RenderedFile.Kind.OBJECT) {
        objects.add(YAML.readTree(f.content()));
      }
    }
    return objects;
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> found = objects.stream().filter(o -> o.get("kind").asText().equals(kind)).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyObjectValidatesAgainstItsSchema(String name, String config) throws Exception {
    for (JsonNode object : objects(render(config))) {
      String kind = object.get("kind").asText();
      String what = kind + " " + object.at("/metadata/name").asText();
      assertThat(object.at("/metadata/name").asText()).as(what).matches(DNS_1123_SUBDOMAIN);
      assertThat(object.at("/metadata/namespace").asText()).as(what).isNotEmpty();
      if (kind.equals("ConfigMap")) {
        // No schema in ../shared for ConfigMap: the dashboard must be the committed JSON.
        assertThat(object.at("/data/etcd.json").asText()).as(what).isEqualTo(
            Files.readString(SeedConfig.repoRoot().resolve("dashboards/etcd.json")));
        continue;
      }
      assertThat(schemas.knows(kind)).as(what).isTrue();
      assertThat(schemas.validate(object)).as(what).isEmpty();
    }
  }

  @Test
  void schemasRejectWhatKubernetesAndTheOperatorWouldReject() throws Exception {
    List<JsonNode> objects = objects(render(null));
    ObjectNode service =
        (ObjectNode) only(objects, "Service").deepCopy();
    ((ObjectNode) service.get("spec")).put("clusterIp", "None");
    assertThat(schemas.validate(service)).isNotEmpty();
    ObjectNode monitor =
        (ObjectNode) only(objects, "ServiceMonitor").deepCopy();
    ((ObjectNode) monitor.get("spec"))
        .put("serviceDiscoveryRole", "Pod");
    assertThat(schemas.validate(monitor)).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void serviceMonitorSelectsTheServiceAndItsPortAndTheSecretKeysExist(String name, String config)
      throws Exception {
    List<JsonNode> objects = objects(render(config));
    JsonNode service = only(objects, "Service");
    JsonNode monitor = only(objects, "ServiceMonitor");
    String namespace = service.at("/metadata/namespace").asText();
    monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
        assertThat(service.at("/metadata/labels").path(label.getKey()).asText())
            .as("Service label " + label.getKey()).isEqualTo(label.getValue().asText()));
    assertThat(monitor.at("/spec/namespaceSelector/matchNames").findValuesAsText("matchNames"))
        .isEmpty();
    assertThat(monitor.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo(namespace);
    assertThat(monitor.at("/spec/serviceDiscoveryRole").asText()).isEqualTo("EndpointSlice");
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    String portName = endpoint.get("port").asText();
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo(portName);
    assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(service.at("/spec/selector").isMissingNode()).isTrue();

    for (JsonNode slice : objects.stream().filter(o -> o.get("kind").asText().equals("EndpointSlice")).toList()) {
      assertThat(slice.at("/metadata/namespace").asText()).isEqualTo(namespace);
      assertThat(slice.at("/metadata/labels/kubernetes.io~1service-name").asText())
          .isEqualTo(service.at("/metadata/name").asText());
      assertThat(slice.at("/metadata/labels/endpointslice.kubernetes.io~1managed-by").asText())
          .isNotEqualTo("endpointslice-controller.k8s.io").isNotEmpty();
      assertThat(slice.at("/ports/0/name").asText()).isEqualTo(portName);
    }
    objects.stream().filter(o -> o.get("kind").asText().equals("Endpoints")).forEach(e -> {
      assertThat(e.at("/metadata/name").asText()).isEqualTo(service.at("/metadata/name").asText());
      assertThat(e.at("/metadata/labels/endpointslice.kubernetes.io~1skip-mirror").asText())
          .isEqualTo("true");
      assertThat(e.at("/subsets/0/ports/0/name").asText()).isEqualTo(portName);
    });

    JsonNode tls = endpoint.path("tlsConfig");
    assertThat(endpoint.get("scheme").asText()).isEqualTo(tls.isMissingNode() ? "http" : "https");
    List<JsonNode> secrets = objects.stream().filter(o -> o.get("kind").asText().equals("Secret")).toList();
    for (JsonNode ref : List.of(tls.at("/ca/secret"), tls.at("/cert/secret"), tls.path("keySecret"))) {
      if (ref.isMissingNode() || secrets.isEmpty()) {
        continue; // no reference, or a reference to an existing Secret made elsewhere
      }
      JsonNode secret = secrets.get(0);
      assertThat(secret.at("/metadata/name").asText()).isEqualTo(ref.get("name").asText());
      assertThat(secret.at("/metadata/namespace").asText()).isEqualTo(namespace);
      String key = ref.get("key").asText();
      assertThat(secret.at("/data").has(key)).as("Secret key " + key).isTrue();
      assertThat(Base64.getDecoder().decode(secret.at("/data").get(key).asText())).isNotEmpty();
    }
    for (String file : List.of("caFile", "certFile", "keyFile")) {
      if (tls.has(file)) {
        Path path = Path.of(tls.get(file).asText());
        JsonNode secret = secrets.get(0);
        assertThat(path.getParent().toString())
            .isEqualTo("/etc/prometheus/secrets/" + secret.at("/metadata/name").asText());
        assertThat(secret.at("/data").has(path.getFileName().toString())).as(file).isTrue();
      }
    }
    assertThat(tls.path("insecureSkipVerify").asBoolean(false)).isEqualTo(name.contains("insecure"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void prometheusRuleCarriesTheRuleGroupsUnchanged(String name, String config) throws Exception {
    JsonNode rule = only(objects(render(config)), "PrometheusRule");
    // The seed names its own rule file; the others get the rules shipped in alert-rules/.
    Path file = name.equals("seed") ? SeedConfig.seedDir().resolve("rules/seed.rules.yaml")
        : SeedConfig.repoRoot().resolve("alert-rules/etcd.rules.yaml");
    JsonNode shipped = YAML.readTree(file.toFile());
    assertThat(rule.get("spec")).isEqualTo(shipped);
    if (name.equals("seed")) {
      assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyObjectCarriesTheCommonLabels(String name, String config) throws Exception {
    for (JsonNode object : objects(render(config))) {
      JsonNode labels = object.at("/metadata/labels");
      assertThat(Map.of(
          "app.kubernetes.io/managed-by", labels.path("app.kubernetes.io/managed-by").asText(),
          "app.kubernetes.io/name", labels.path("app.kubernetes.io/name").asText()))
          .as(object.get("kind").asText())
          .isEqualTo(Map.of("app.kubernetes.io/managed-by", "raftwatch", "app.kubernetes.io/name", "etcd"));
    }
  }
}
