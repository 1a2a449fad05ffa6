package io.raftwatch.collector.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.raftwatch.collector.config.ClusterConfig;
import io.raftwatch.collector.config.ConfigProblem;
import io.raftwatch.collector.config.KubernetesConfig;
import io.raftwatch.collector.config.MemberConfig;
import io.raftwatch.collector.config.PrometheusDuration;
import io.raftwatch.collector.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds the template model for one cluster and renders its objects: Secret, Service,
 * EndpointSlices, Endpoints, ServiceMonitor, PrometheusRules and the Prometheus patch. Reads the
 * certificate and rule files; collects every problem instead of stopping at the first. Made and
 * used by {@link ManifestSet} on one thread.
 */
final class ClusterManifests {
  /** The rules shipped in the jar, used when the cluster names no ruleFiles. */
  static final String BUNDLED_RULES = "alert-rules/etcd.rules.yaml";

  private static final String PORT_NAME = "metrics";
  private static final String MANAGED_BY = "raftwatch.io";
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ClusterConfig cluster;
  private final String source;
  private final ManifestTemplates templates;
  private final List<ConfigProblem> problems;
  private final String field;

  ClusterManifests(ClusterConfig cluster, String source, ManifestTemplates templates,
      List<ConfigProblem> problems) {
    this.cluster = cluster;
    this.source = source;
    this.templates = templates;
    this.problems = problems;
    this.field = "clusters[" + cluster.name() + "]";
  }

  /** The common labels of every object of this cluster: the config's plus raftwatch's own. */
  Map<String, String> labels() {
    Map<String, String> labels = new TreeMap<>(cluster.kubernetes().labels());
    labels.putAll(selector());
    labels.put("app.kubernetes.io/component", "metrics");
    labels.put("app.kubernetes.io/managed-by", "raftwatch");
    return labels;
  }

  /** The labels the ServiceMonitor selects the Service by. */
  private Map<String, String> selector() {
    Map<String, String> selector = new TreeMap<>();
    selector.put("app.kubernetes.io/name", "etcd");
    selector.put("app.kubernetes.io/instance", cluster.kubernetes().serviceName());
    return selector;
  }

  /** Renders every object of the cluster; returns nothing useful when a problem was added. */
  List<RenderedFile> render() {
    int problemsBefore = problems.size();
    KubernetesConfig k8s = cluster.kubernetes();
    String service = k8s.serviceName();
    List<URI> listeners = listeners();
    if (listeners.isEmpty()) {
      return List.of();
    }
    URI first = listeners.get(0);
    String path = first.getRawPath() == null || first.getRawPath().isEmpty()
        || first.getRawPath().equals("/") ? "/metrics" : first.getRawPath();
    boolean https = "https".equals(first.getScheme());
    List<Map<String, Object>> slices = slices(listeners);

    Map<String, Object> model = new LinkedHashMap<>();
    model.put("source", source);
    model.put("cluster", cluster.name());
    model.put("job", cluster.job());
    model.put("namespace", k8s.namespace());
    model.put("labels", labels());
    model.put("selector", selector());
    model.put("service", Map.of("name", service, "portName", PORT_NAME,
        "port", MemberAddress.of(first).port()));
    model.put("slices", slices);
    Map<String, String> endpointsLabels = new TreeMap<>(labels());
    // Both kinds are rendered: the mirroring controller must not turn these into a second slice.
    endpointsLabels.put("endpointslice.kubernetes.io/skip-mirror", "true");
    model.put("endpointsLabels", endpointsLabels);
    model.put("scrape", Map.of("scheme", https ? "https" : "http", "path", path,
        "interval", PrometheusDuration.format(cluster.scrapeInterval()),
        "timeout", PrometheusDuration.format(cluster.scrapeTimeout())));

    List<RenderedFile> files = new ArrayList<>();
    Optional<TlsConfig> tls = cluster.tls().filter(t -> https);
    String secretName = k8s.existingSecret().orElse(k8s.secretName());
    if (tls.isPresent()) {
      TlsConfig t = tls.get();
      boolean existing = k8s.existingSecret().isPresent();
      Map<String, Object> tlsModel = new LinkedHashMap<>();
      tlsModel.put("secret", secretName);
      tlsModel.put("hasCa", existing || t.caFile().isPresent());
      tlsModel.put("hasCert", existing || t.certFile().isPresent());
      t.serverName().ifPresent(n -> tlsModel.put("serverName", n));
      tlsModel.put("insecureSkipVerify", t.insecureSkipVerify());
      k8s.prometheusSecretMount().ifPresent(p ->
          tlsModel.put("files", "/etc/prometheus/secrets/" + secretName + "/"));
      model.put("tls", tlsModel);
      if (!existing && (t.caFile().isPresent() || t.certFile().isPresent())) {
        model.put("secret", secretModel(t, secretName));
      }
    }
    List<Map<String, Object>> ruleModels = ruleModels();
    if (problems.size() > problemsBefore) {
      return List.of(); // a file could not be read: render nothing of this cluster
    }
    if (model.containsKey("secret")) {
      files.add(object(service + "-secret.yaml", "secret.yaml.ftl", model));
    }
    files.add(object(service + "-service.yaml", "service.yaml.ftl", model));
    for (Map<String, Object> slice : slices) {
      model.put("slice", slice);
      files.add(object(slice.get("name") + ".yaml", "endpointslice.yaml.ftl", model));
    }
    model.remove("slice");
    if (k8s.legacyEndpoints()) {
      files.add(object(service + "-endpoints.yaml", "endpoints.yaml.ftl", model));
    }
    files.add(object(service + "-servicemonitor.yaml", "servicemonitor.yaml.ftl", model));
    k8s.prometheusSecretMount().filter(p -> tls.isPresent()).ifPresent(p -> files.add(
        new RenderedFile(service + "-prometheus-secrets-patch.yaml", templates.render(
            "manifests/prometheus-secrets-patch.yaml.ftl",
            Map.of("secretName", secretName, "prometheus",
                Map.of("namespace", p.namespace(), "name", p.name()))),
            RenderedFile.Kind.EXTRA)));
    for (Map<String, Object> rules : ruleModels) {
      model.put("rules", rules);
      files.add(object(rules.get("name") + ".yaml", "prometheusrule.yaml.ftl", model));
    }
    return files;
  }

  private RenderedFile object(String file, String template, Map<String, Object> model) {
    return new RenderedFile(file, templates.render("manifests/" + template, model),
        RenderedFile.Kind.OBJECT);
  }

  /** The scraped listener of every member; one scheme and path for all (one ServiceMonitor). */
  private List<URI> listeners() {
    List<URI> listeners = new ArrayList<>();
    boolean metrics = cluster.kubernetes().metricsPort() == KubernetesConfig.MetricsPort.METRICS;
    for (MemberConfig m : cluster.members()) {
      URI base = metrics ? m.metricsUrl().orElse(m.url()) : m.url();
      URI first = listeners.isEmpty() ? base : listeners.get(0);
      String what = metrics ? "metricsUrl" : "url";
      if (!first.getScheme().equals(base.getScheme())
          || !pathOf(first).equals(pathOf(base))) {
        problems.add(new ConfigProblem(source, 0, field + ".members[" + m.name() + "]." + what,
            "'" + base + "' differs in scheme or path from '" + first + "'; one ServiceMonitor "
                + "endpoint scrapes every member the same way: give all members the same scheme "
                + "and path"));
      }
      listeners.add(base);
    }
    return problems.isEmpty() ? listeners : List.of();
  }

  private static String pathOf(URI uri) {
    String p = uri.getRawPath();
    return p == null || p.isEmpty() || p.equals("/") ? "/metrics" : p;
  }

  /** One EndpointSlice per address family (and per port, when members listen on several). */
  private List<Map<String, Object>> slices(List<URI> listeners) {
    Map<String, List<Map<String, Object>>> byFamilyAndPort = new LinkedHashMap<>();
    Map<String, Integer> portsPerFamily = new TreeMap<>();
    for (int i = 0; i < listeners.size(); i++) {
      MemberAddress a = MemberAddress.of(listeners.get(i));
      String key = a.addressType() + ":" + a.port();
      if (!byFamilyAndPort.containsKey(key)) {
        portsPerFamily.merge(a.addressType(), 1, Integer::sum);
        byFamilyAndPort.put(key, new ArrayList<>());
      }
      Map<String, Object> endpoint = new LinkedHashMap<>();
      endpoint.put("address", a.address());
      // The hostname names the member for people reading the slice; Kubernetes requires a DNS label.
      String name = cluster.members().get(i).name();
      if (DNS_1123_LABEL.matcher(name).matches()) {
        endpoint.put("hostname", name);
      }
      byFamilyAndPort.get(key).add(endpoint);
    }
    List<Map<String, Object>> slices = new ArrayList<>();
    for (var e : byFamilyAndPort.entrySet()) {
      String family = e.getKey().substring(0, e.getKey().indexOf(':'));
      int port = Integer.parseInt(e.getKey().substring(e.getKey().indexOf(':') + 1));
      String name = cluster.kubernetes().serviceName() + "-" + family.toLowerCase(Locale.ROOT)
          + (portsPerFamily.get(family) > 1 ? "-" + port : "");
      Map<String, String> labels = new TreeMap<>(labels());
      labels.put("kubernetes.io/service-name", cluster.kubernetes().serviceName());
      labels.put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
      slices.add(Map.of("name", name, "addressType", family, "port", port,
          "endpoints", e.getValue(), "labels", labels));
    }
    return slices;
  }

  private Map<String, Object> secretModel(TlsConfig t, String name) {
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("name", name);
    secret.put("namespace", cluster.kubernetes().prometheusSecretMount()
        .map(KubernetesConfig.PrometheusRef::namespace).orElse(cluster.kubernetes().namespace()));
    t.caFile().ifPresent(f -> pem(f, "tls.caFile", "CERTIFICATE").ifPresent(b -> secret.put("ca", b)));
    t.certFile().ifPresent(f -> pem(f, "tls.certFile", "CERTIFICATE").ifPresent(b -> secret.put("cert", b)));
    t.keyFile().ifPresent(f -> pem(f, "tls.keyFile", "PRIVATE KEY").ifPresent(b -> secret.put("key", b)));
    return secret;
  }

  /** The file base64-encoded, if it is readable PEM of that kind; never echoes its content. */
  private Optional<String> pem(Path file, String what, String kind) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
        problems.add(new ConfigProblem(source, 0, field + "." + what,
            file + " holds no PEM " + kind.toLowerCase(Locale.ROOT) + " block"));
        return Optional.empty();
      }
      return Optional.of(Base64.getEncoder().encodeToString(bytes));
    } catch (IOException e) {
      problems.add(new ConfigProblem(source, 0, field + "." + what,
          "cannot read " + file + ": " + e.getClass().getSimpleName()));
      return Optional.empty();
    }
  }

  /** One PrometheusRule per rule file (the bundled alert-rules when the cluster names none). */
  private List<Map<String, Object>> ruleModels() {
    List<Map<String, Object>> models = new ArrayList<>();
    if (cluster.ruleFiles().isEmpty()) {
      try (InputStream in = ClusterManifests.class.getResourceAsStream("/" + BUNDLED_RULES)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED_RULES + " is missing from the jar");
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        ruleModel(BUNDLED_RULES, text).ifPresent(models::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read bundled " + BUNDLED_RULES, e);
      }
      return models;
    }
    for (int i = 0; i < cluster.ruleFiles().size(); i++) {
      Path file = cluster.ruleFiles().get(i);
      try {
        ruleModel(file.toString(), Files.readString(file)).ifPresent(models::add);
      } catch (IOException e) {
        problems.add(new ConfigProblem(source, 0, field + ".ruleFiles[" + i + "]",
            "cannot read " + file + ": " + e.getClass().getSimpleName()));
      }
    }
    return models;
  }

  private Optional<Map<String, Object>> ruleModel(String file, String text) {
    String why = null;
    try {
      JsonNode root = YAML.readTree(text);
      if (root == null || !root.isObject() || root.size() != 1 || !root.path("groups").isArray()) {
        why = "is not a Prometheus rule file: expected a mapping with only 'groups:' (a list)";
      } else if (text.lines().anyMatch(l -> l.startsWith("---") || l.startsWith("..."))) {
        why = "holds more than one YAML document";
      }
    } catch (IOException e) {
      why = "is not valid YAML: " + e.getMessage().lines().findFirst().orElse("");
    }
    if (why != null) {
      problems.add(new ConfigProblem(file, 0, "", why));
      return Optional.empty();
    }
    String base = Path.of(file).getFileName().toString().replaceAll("\\.ya?ml$", "");
    String name = cluster.kubernetes().serviceName() + "-"
        + base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    Map<String, String> labels = new TreeMap<>(labels());
    labels.putAll(cluster.kubernetes().ruleLabels());
    // The comment names the file without its directory, so the output does not depend on where
    // the config lives.
    String shown = Path.of(file).isAbsolute() ? Path.of(file).getFileName().toString() : file;
    return Optional.of(Map.of("file", shown, "name", name, "labels", labels,
        "lines", text.stripTrailing().lines().toList()));
  }
}
