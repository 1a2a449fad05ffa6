package io.raftwatch.collector.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a {@link YamlNode} tree into a {@link RaftwatchConfig}, collecting every mistake with its
 * line and field path. One instance per load; not thread-safe. Used by {@link ConfigLoader}.
 */
final class ConfigBinder {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern IP_LITERAL =
      Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern K8S_LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern K8S_LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  /** Labels the scraper sets itself; a configured label must not shadow them. */
  private static final Set<String> RESERVED_LABELS = Set.of("job", "instance", "cluster", "member");

  private final String source;
  private final Path base;
  private final List<ConfigProblem> problems = new ArrayList<>();

  ConfigBinder(String source, Path base) {
    this.source = source;
    this.base = base;
  }

  RaftwatchConfig bind(YamlNode root) throws ConfigException {
    List<ClusterConfig> clusters = new ArrayList<>();
    Fields top = fields(root, "", "clusters", "notify");
    NotifyConfig notify = NotifyConfig.none();
    if (top != null) {
      YamlNode list = top.required("clusters");
      if (list != null) {
        List<YamlNode> items = sequence(list, "clusters", true);
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
          String field = "clusters[" + i + "]";
          ClusterConfig cluster = cluster(items.get(i), field);
          if (cluster != null) {
            Integer earlier = names.putIfAbsent(cluster.name(), i);
            if (earlier != null) {
              problem(items.get(i).line(), field + ".name",
                  "'" + cluster.name() + "' is already the name of clusters[" + earlier + "]");
            }
            clusters.add(cluster);
          }
        }
      }
      notify = top.optional("notify").map(n -> notify(n, "notify")).orElse(NotifyConfig.none());
      top.finish();
    }
    if (!problems.isEmpty()) {
      problems.sort(java.util.Comparator.comparingInt(ConfigProblem::line)); // stable: file order
      throw new ConfigException(problems);
    }
    return new RaftwatchConfig(source, clusters, notify);
  }

  private ClusterConfig cluster(YamlNode node, String field) {
    Fields f = fields(node, field,
        "name", "job", "members", "tls", "labels", "scrapeInterval", "scrapeTimeout",
        "bodySizeLimit", "ruleFiles", "kubernetes", "maintenance", "checkCron");
    if (f == null) {
      return null;
    }
    String name = f.requiredString("name");
    if (name != null && name.isBlank()) {
      problem(f.node("name").line(), field + ".name", "must not be empty");
    }
    String job = f.optionalString("job").orElse(name);
    List<MemberConfig> members = members(f, field);
    Optional<TlsConfig> tls = f.optional("tls").map(n -> tls(n, field + ".tls"));
    Map<String, String> labels = f.optional("labels")
        .map(n -> promLabels(n, field + ".labels")).orElse(Map.of());
    Duration interval = f.optional("scrapeInterval")
        .map(n -> parsed(n, field + ".scrapeInterval", PrometheusDuration::parse))
        .orElse(ClusterConfig.DEFAULT_SCRAPE_INTERVAL);
    Optional<YamlNode> timeoutNode = f.optional("scrapeTimeout");
    Duration timeout = timeoutNode
        .map(n -> parsed(n, field + ".scrapeTimeout", PrometheusDuration::parse))
        .orElse(min(ClusterConfig.DEFAULT_SCRAPE_TIMEOUT, interval));
    if (interval != null && interval.isZero()) {
      problem(f.node("scrapeInterval").line(), field + ".scrapeInterval", "must be above 0s");
    }
    if (timeout != null && timeout.isZero()) {
      problem(timeoutNode.get().line(), field + ".scrapeTimeout", "must be above 0s");
    }
    if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
      problem(timeoutNode.map(YamlNode::line).orElse(node.line()), field + ".scrapeTimeout",
          PrometheusDuration.format(timeout) + " is longer than scrapeInterval "
              + PrometheusDuration.format(interval) + "; a scrape must end before the next starts");
    }
    Long bodyLimit = f.optional("bodySizeLimit")
        .map(n -> parsed(n, field + ".bodySizeLimit", ByteSize::parse))
        .orElse(ClusterConfig.DEFAULT_BODY_SIZE_LIMIT);
    if (bodyLimit != null && bodyLimit == 0) {
      problem(f.node("bodySizeLimit").line(), field + ".bodySizeLimit", "must be above 0");
    }
    List<Path> ruleFiles = f.optional("ruleFiles").map(n -> ruleFiles(n, field + ".ruleFiles"))
        .orElse(List.of());
    String defaultService = name == null ? "etcd" : dns1123(name);
    boolean allHaveMetricsUrl =
        !members.isEmpty() && members.stream().allMatch(m -> m.metricsUrl().isPresent());
    KubernetesConfig kubernetes = f.optional("kubernetes")
        .map(n -> kubernetes(n, field + ".kubernetes", defaultService, members))
        .orElseGet(() -> defaultKubernetes(defaultService, allHaveMetricsUrl));
    MaintenanceConfig maintenance = f.optional("maintenance")
        .map(n -> maintenance(n, field + ".maintenance")).orElse(MaintenanceConfig.disabled());
    Optional<String> checkCron = f.optional("checkCron").map(n -> cron(n, field + ".checkCron"));
    f.finish();
    // A value that failed to parse has been reported; the defaults above only keep going.
    if (name == null) {
      return null;
    }
    return new ClusterConfig(name, job, members, tls, labels, interval, timeout, bodyLimit,
        ruleFiles, kubernetes, maintenance == null ? MaintenanceConfig.disabled() : maintenance,
        checkCron);
  }

  private List<MemberConfig> members(Fields cluster, String clusterField) {
    YamlNode list = cluster.required("members");
    if (list == null) {
      return List.of();
    }
    List<MemberConfig> members = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<URI, Integer> urls = new HashMap<>();
    List<YamlNode> items = sequence(list, clusterField + ".members", true);
    for (int i = 0; i < items.size(); i++) {
      String field = clusterField + ".members[" + i + "]";
      Fields f = fields(items.get(i), field, "name", "url", "metricsUrl");
      if (f == null) {
        continue;
      }
      URI url = f.optional("url").map(n -> httpUrl(n, field + ".url")).orElse(null);
      if (!f.has("url")) {
        problem(items.get(i).line(), field + ".url", "missing; expected the member's client URL, "
            + "e.g. https://10.0.0.1:2379");
      }
      Optional<URI> metricsUrl = f.optional("metricsUrl").map(n -> httpUrl(n, field + ".metricsUrl"));
      String name = f.optionalString("name").orElse(url == null ? null : url.getRawAuthority());
      f.finish();
      if (url == null || name == null) {
        continue;
      }
      MemberConfig member = new MemberConfig(name, url, metricsUrl);
      Integer sameName = names.putIfAbsent(name, i);
      if (sameName != null) {
        problem(items.get(i).line(), field + ".name",
            "'" + name + "' is already the name of members[" + sameName + "]");
      }
      Integer sameUrl = urls.putIfAbsent(member.scrapeUrl(), i);
      if (sameUrl != null) {
        problem(items.get(i).line(), field, "scrapes " + member.scrapeUrl()
            + ", as members[" + sameUrl + "] does");
      }
      members.add(member);
    }
    return members;
  }

  private TlsConfig tls(YamlNode node, String field) {
    Fields f = fields(node, field, "caFile", "certFile", "keyFile", "serverName",
        "insecureSkipVerify");
    if (f == null) {
      return null;
    }
    Optional<Path> ca = f.optional("caFile").map(n -> path(n, field + ".caFile"));
    Optional<Path> cert = f.optional("certFile").map(n -> path(n, field + ".certFile"));
    Optional<Path> key = f.optional("keyFile").map(n -> path(n, field + ".keyFile"));
    if (cert.isPresent() != key.isPresent()) {
      problem(node.line(), field, cert.isPresent()
          ? "certFile is given without keyFile; a client certificate needs its key"
          : "keyFile is given without certFile; a client key needs its certificate");
    }
    Optional<String> serverName = f.optionalString("serverName");
    Boolean insecure = f.optional("insecureSkipVerify")
        .map(n -> bool(n, field + ".insecureSkipVerify")).orElse(false);
    f.finish();
    return new TlsConfig(ca, cert, key, serverName, insecure);
  }

  private KubernetesConfig kubernetes(
      YamlNode node, String field, String defaultService, List<MemberConfig> members) {
    Fields f = fields(node, field, "namespace", "labels", "serviceName", "metricsPort",
        "secretName", "existingSecret", "ruleLabels", "dashboardLabels", "legacyEndpoints",
        "prometheusSecretMount");
    if (f == null) {
      return null;
    }
    String namespace = f.optional("namespace").map(n -> dnsName(n, field + ".namespace"))
        .orElse("monitoring");
    String service = f.optional("serviceName").map(n -> dnsName(n, field + ".serviceName"))
        .orElse(defaultService);
    boolean allHaveMetricsUrl =
        !members.isEmpty() && members.stream().allMatch(m -> m.metricsUrl().isPresent());
    KubernetesConfig.MetricsPort port = f.optional("metricsPort")
        .map(n -> metricsPort(n, field + ".metricsPort"))
        .orElse(allHaveMetricsUrl ? KubernetesConfig.MetricsPort.METRICS
            : KubernetesConfig.MetricsPort.CLIENT);
    if (port == KubernetesConfig.MetricsPort.METRICS && !allHaveMetricsUrl && !members.isEmpty()) {
      problem(f.node("metricsPort").line(), field + ".metricsPort",
          "'metrics' needs a metricsUrl on every member");
    }
    String secret = f.optional("secretName").map(n -> dnsName(n, field + ".secretName"))
        .orElse(service + "-client-tls");
    Optional<String> existing = f.optional("existingSecret")
        .map(n -> dnsName(n, field + ".existingSecret"));
    Map<String, String> labels = f.optional("labels").map(n -> k8sLabels(n, field + ".labels"))
        .orElse(Map.of());
    Map<String, String> ruleLabels = f.optional("ruleLabels")
        .map(n -> k8sLabels(n, field + ".ruleLabels")).orElse(Map.of());
    Map<String, String> dashboardLabels = f.optional("dashboardLabels")
        .map(n -> k8sLabels(n, field + ".dashboardLabels")).orElse(Map.of("grafana_dashboard", "1"));
    Boolean legacy = f.optional("legacyEndpoints").map(n -> bool(n, field + ".legacyEndpoints"))
        .orElse(false);
    if (Boolean.TRUE.equals(legacy) && port != null) {
      for (MemberConfig m : members) {
        URI listener = port == KubernetesConfig.MetricsPort.METRICS ? m.metricsUrl().orElse(m.url())
            : m.url();
        if (!IP_LITERAL.matcher(listener.getHost()).matches()) {
          problem(f.node("legacyEndpoints").line(), field + ".legacyEndpoints", "member "
              + m.name() + " is given by DNS name (" + listener.getHost() + "); core/v1 Endpoints "
              + "hold IP addresses only: give its IP address, or set legacyEndpoints: false (the "
              + "EndpointSlice lists it as an FQDN endpoint)");
        }
      }
    }
    Optional<KubernetesConfig.PrometheusRef> mount = f.optional("prometheusSecretMount")
        .map(n -> prometheusRef(n, field + ".prometheusSecretMount"));
    if (mount.isPresent() && existing.isPresent()) {
      problem(f.node("prometheusSecretMount").line(), field + ".prometheusSecretMount",
          "cannot be combined with existingSecret; the mounted Secret is the one rendered here");
    }
    f.finish();
    return new KubernetesConfig(namespace, labels, service, port, secret, existing, ruleLabels,
        dashboardLabels, legacy, mount);
  }

  private static KubernetesConfig defaultKubernetes(String service, boolean metrics) {
    return new KubernetesConfig("monitoring", Map.of(), service,
        metrics ? KubernetesConfig.MetricsPort.METRICS : KubernetesConfig.MetricsPort.CLIENT,
        service + "-client-tls", Optional.empty(), Map.of(), Map.of("grafana_dashboard", "1"),
        false);
  }

  private KubernetesConfig.MetricsPort metricsPort(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "client" -> KubernetesConfig.MetricsPort.CLIENT;
      case "metrics" -> KubernetesConfig.MetricsPort.METRICS;
      default -> {
        problem(node.line(), field, "'" + text + "' is not a listener; expected 'client' or 'metrics'");
        yield null;
      }
    };
  }

  /** {@code namespace/name} of a Prometheus resource. */
  private KubernetesConfig.PrometheusRef prometheusRef(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    String[] parts = text.split("/", -1);
    if (parts.length != 2 || !DNS_1123_LABEL.matcher(parts[0]).matches()
        || !DNS_1123_LABEL.matcher(parts[1]).matches()) {
      problem(node.line(), field, "'" + text + "' is not namespace/name of a Prometheus resource;"
          + " expected e.g. monitoring/k8s");
      return null;
    }
    return new KubernetesConfig.PrometheusRef(parts[0], parts[1]);
  }

  /** Rule files are only resolved here; the rule loader reports the ones it cannot read. */
  private List<Path> ruleFiles(YamlNode node, String field) {
    List<Path> files = new ArrayList<>();
    List<YamlNode> items = sequence(node, field, false);
    for (int i = 0; i < items.size(); i++) {
      Path p = path(items.get(i), field + "[" + i + "]");
      if (p != null) {
        files.add(p);
      }
    }
    return files;
  }

  // ---- notify

  private NotifyConfig notify(YamlNode node, String field) {
    Fields f = fields(node, field, "alertmanagers", "webhooks", "resendDelay", "queueCapacity",
        "externalLabels", "externalUrl");
    if (f == null) {
      return NotifyConfig.none();
    }
    List<AlertmanagerConfig> alertmanagers = new ArrayList<>();
    f.optional("alertmanagers").ifPresent(list -> {
      List<YamlNode> items = sequence(list, field + ".alertmanagers", false);
      for (int i = 0; i < items.size(); i++) {
        AlertmanagerConfig am = alertmanager(items.get(i), field + ".alertmanagers[" + i + "]");
        if (am != null) {
          alertmanagers.add(am);
        }
      }
    });
    List<WebhookConfig> webhooks = new ArrayList<>();
    f.optional("webhooks").ifPresent(list -> {
      List<YamlNode> items = sequence(list, field + ".webhooks", false);
      Map<String, Integer> names = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        String itemField = field + ".webhooks[" + i + "]";
        WebhookConfig hook = webhook(items.get(i), itemField, i);
        if (hook == null) {
          continue;
        }
        Integer earlier = names.putIfAbsent(hook.name(), i);
        if (earlier != null) {
          problem(items.get(i).line(), itemField + ".name",
              "'" + hook.name() + "' is already the name of webhooks[" + earlier + "]");
        }
        webhooks.add(hook);
      }
    });
    Duration resend = positiveDuration(f, "resendDelay", field, NotifyConfig.DEFAULT_RESEND_DELAY);
    Integer capacity = f.optional("queueCapacity")
        .map(n -> positiveInt(n, field + ".queueCapacity")).orElse(NotifyConfig.DEFAULT_QUEUE_CAPACITY);
    Map<String, String> external = f.optional("externalLabels")
        .map(n -> stringMap(n, field + ".externalLabels", (key, keyLine) -> {
          if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) {
            problem(keyLine, field + ".externalLabels." + key, "'" + key + "' is not a label name;"
                + " expected letters, digits and '_', not starting with a digit or '__'");
          }
        }, null))
        .orElse(Map.of());
    Optional<URI> externalUrl = f.optional("externalUrl").map(n -> httpUrl(n, field + ".externalUrl"));
    f.finish();
    return new NotifyConfig(alertmanagers, webhooks, resend == null ? NotifyConfig.DEFAULT_RESEND_DELAY : resend,
        capacity == null ? NotifyConfig.DEFAULT_QUEUE_CAPACITY : capacity, external, externalUrl);
  }

  private AlertmanagerConfig alertmanager(YamlNode node, String field) {
    Fields f = fields(node, field, "urls", "timeout", "tls", "basicAuth", "bearerToken",
        "bearerTokenFile");
    if (f == null) {
      return null;
    }
    List<URI> urls = new ArrayList<>();
    YamlNode list = f.required("urls");
    if (list != null) {
      List<YamlNode> items = sequence(list, field + ".urls", true);
      for (int i = 0; i < items.size(); i++) {
        URI url = receiverUrl(items.get(i), field + ".urls[" + i + "]", "http://10.0.0.9:9093");
        if (url != null) {
          urls.add(url);
        }
      }
    }
    HttpClientConfig http = httpClient(f, field);
    f.finish();
    return new AlertmanagerConfig(urls, http);
  }

  private WebhookConfig webhook(YamlNode node, String field, int index) {
    Fields f = fields(node, field, "name", "url", "headers", "repeatInterval", "timeout", "tls",
        "basicAuth", "bearerToken", "bearerTokenFile");
    if (f == null) {
      return null;
    }
    String name = f.optionalString("name").orElse("webhook-" + index);
    YamlNode urlNode = f.required("url");
    URI url = urlNode == null ? null
        : receiverUrl(urlNode, field + ".url", "https://hooks.example.com/raftwatch");
    Map<String, Secret> headers = new LinkedHashMap<>();
    f.optional("headers").ifPresent(n -> stringMap(n, field + ".headers", (key, keyLine) -> {
      if (!key.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        problem(keyLine, field + ".headers." + key, "'" + key + "' is not an HTTP header name");
      }
    }, null).forEach((k, v) -> headers.put(k, new Secret(v))));
    Duration repeat = positiveDuration(f, "repeatInterval", field, WebhookConfig.DEFAULT_REPEAT_INTERVAL);
    HttpClientConfig http = httpClient(f, field);
    f.finish();
    if (url == null || name == null) {
      return null;
    }
    return new WebhookConfig(name, url, headers,
        repeat == null ? WebhookConfig.DEFAULT_REPEAT_INTERVAL : repeat, http);
  }

  /** timeout, tls, basicAuth, bearerToken / bearerTokenFile of one receiver. */
  private HttpClientConfig httpClient(Fields f, String field) {
    Duration timeout = positiveDuration(f, "timeout", field, HttpClientConfig.DEFAULT_TIMEOUT);
    Optional<TlsConfig> tls = f.optional("tls").map(n -> tls(n, field + ".tls"));
    Optional<HttpClientConfig.BasicAuth> basic = f.optional("basicAuth")
        .map(n -> basicAuth(n, field + ".basicAuth"));
    Optional<Secret> bearer = f.optionalString("bearerToken").map(Secret::new);
    if (f.has("bearerTokenFile")) {
      if (bearer.isPresent()) {
        problem(f.node("bearerTokenFile").line(), field + ".bearerTokenFile",
            "give bearerToken or bearerTokenFile, not both");
      } else {
        bearer = f.optional("bearerTokenFile").map(n -> secretFile(n, field + ".bearerTokenFile"));
      }
    }
    if (basic.isPresent() && bearer.isPresent()) {
      problem(f.node("basicAuth").line(), field + ".basicAuth",
          "give basicAuth or a bearer token, not both; both set the Authorization header");
    }
    return new HttpClientConfig(timeout == null ? HttpClientConfig.DEFAULT_TIMEOUT : timeout, tls,
        basic, bearer);
  }

  private HttpClientConfig.BasicAuth basicAuth(YamlNode node, String field) {
    Fields f = fields(node, field, "username", "password", "passwordFile");
    if (f == null) {
      return null;
    }
    String user = f.requiredString("username");
    Optional<Secret> password = f.optionalString("password").map(Secret::new);
    if (f.has("passwordFile")) {
      if (password.isPresent()) {
        problem(f.node("passwordFile").line(), field + ".passwordFile",
            "give password or passwordFile, not both");
      } else {
        password = f.optional("passwordFile").map(n -> secretFile(n, field + ".passwordFile"));
      }
    }
    f.finish();
    return user == null ? null : new HttpClientConfig.BasicAuth(user, password.orElse(new Secret("")));
  }

  /** Reads a password or token file now, so a missing file is a config error; never echoes it. */
  private Secret secretFile(YamlNode node, String field) {
    Path file = path(node, field);
    if (file == null) {
      return null;
    }
    try {
      return new Secret(java.nio.file.Files.readString(file).strip());
    } catch (java.io.IOException e) {
      problem(node.line(), field, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  private URI receiverUrl(YamlNode node, String field, String example) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          && uri.getRawFragment() == null) {
        if (uri.getUserInfo() != null) {
          // The URL would be logged; credentials belong in basicAuth, which is never logged.
          problem(node.line(), field, "the URL carries a user or password; use basicAuth instead");
          return null;
        }
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problem(node.line(), field, "'" + text + "' is not an http(s) URL; expected e.g. " + example);
    return null;
  }

  // ---- maintenance

  private MaintenanceConfig maintenance(YamlNode node, String field) {
    Fields f = fields(node, field, "defrag", "compact", "tls", "timeout");
    if (f == null) {
      return null;
    }
    MaintenanceConfig.Defrag defrag = f.optional("defrag").map(n -> defrag(n, field + ".defrag"))
        .orElse(MaintenanceConfig.disabled().defrag());
    MaintenanceConfig.Compact compact = f.optional("compact")
        .map(n -> compact(n, field + ".compact")).orElse(MaintenanceConfig.disabled().compact());
    Optional<TlsConfig> tls = f.optional("tls").map(n -> tls(n, field + ".tls"));
    Duration timeout = positiveDuration(f, "timeout", field, MaintenanceConfig.DEFAULT_TIMEOUT);
    f.finish();
    if (defrag == null || compact == null || timeout == null) {
      return null;
    }
    return new MaintenanceConfig(defrag, compact, tls, timeout);
  }

  private MaintenanceConfig.Defrag defrag(YamlNode node, String field) {
    Fields f = fields(node, field, "enabled", "cron", "onAlert");
    if (f == null) {
      return null;
    }
    Boolean enabled = f.optional("enabled").map(n -> bool(n, field + ".enabled")).orElse(false);
    Optional<String> cron = f.optional("cron").map(n -> cron(n, field + ".cron"));
    Boolean onAlert = f.optional("onAlert").map(n -> bool(n, field + ".onAlert")).orElse(true);
    if (Boolean.TRUE.equals(enabled) && cron.isEmpty() && Boolean.FALSE.equals(onAlert)) {
      problem(node.line(), field, "enabled with neither a cron nor onAlert; nothing would run it");
    }
    f.finish();
    return enabled == null || onAlert == null ? null
        : new MaintenanceConfig.Defrag(enabled, cron, onAlert);
  }

  private MaintenanceConfig.Compact compact(YamlNode node, String field) {
    Fields f = fields(node, field, "enabled", "cron", "retainRevisions", "retainPeriod");
    if (f == null) {
      return null;
    }
    Boolean enabled = f.optional("enabled").map(n -> bool(n, field + ".enabled")).orElse(false);
    Optional<String> cron = f.optional("cron").map(n -> cron(n, field + ".cron"));
    Optional<Long> revisions = f.optional("retainRevisions")
        .map(n -> positiveInt(n, field + ".retainRevisions")).map(Integer::longValue);
    Optional<Duration> period = f.optional("retainPeriod")
        .map(n -> parsed(n, field + ".retainPeriod", PrometheusDuration::parse));
    if (Boolean.TRUE.equals(enabled)) {
      if (cron.isEmpty() && !f.has("cron")) {
        problem(node.line(), field + ".cron", "missing; compaction runs on a cron, e.g. '0 0 * * * ?'");
      }
      if (f.has("retainRevisions") == f.has("retainPeriod")) {
        problem(node.line(), field, "give exactly one of retainRevisions (keep the latest N"
            + " revisions) and retainPeriod (keep e.g. 24h of history)");
      }
    }
    f.finish();
    return enabled == null ? null
        : new MaintenanceConfig.Compact(enabled, cron, revisions, period);
  }

  /**
   * A Quartz cron expression: six or seven fields, seconds first. Only its shape is checked here;
   * the scheduler parses it when the job is scheduled.
   */
  private String cron(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    int fields = text.trim().split("\\s+").length;
    if (fields < 6 || fields > 7) {
      problem(node.line(), field, "'" + text + "' is not a Quartz cron expression; expected 6 or 7"
          + " fields starting with seconds, e.g. '0 30 3 * * ?' (03:30 every day)");
      return null;
    }
    return text.trim();
  }

  private Duration positiveDuration(Fields f, String key, String field, Duration fallback) {
    Optional<YamlNode> node = f.optional(key);
    if (node.isEmpty()) {
      return fallback;
    }
    Duration d = parsed(node.get(), field + "." + key, PrometheusDuration::parse);
    if (d != null && d.isZero()) {
      problem(node.get().line(), field + "." + key, "must be above 0s");
      return null;
    }
    return d;
  }

  private Integer positiveInt(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(node.line(), field, "'" + text + "' is not a whole number above 0");
    return null;
  }

  // ---- scalars

  private URI httpUrl(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
          && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problem(node.line(), field, "'" + text + "' is not an http(s) URL; expected e.g. "
        + "https://10.0.0.1:2379");
    return null;
  }

  private Path path(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      problem(node.line(), field, "must not be empty; expected a file path");
      return null;
    }
    try {
      return base.resolve(text).normalize();
    } catch (InvalidPathException e) {
      problem(node.line(), field, "'" + text + "' is not a file path");
      return null;
    }
  }

  private Boolean bool(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem(node.line(), field, "'" + text + "' is not true or false");
        yield null;
      }
    };
  }

  private String dnsName(YamlNode node, String field) {
    String text = scalar(node, field);
    if (text != null && !DNS_1123_LABEL.matcher(text).matches()) {
      problem(node.line(), field, "'" + text + "' is not a valid Kubernetes name; expected at most"
          + " 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
      return null;
    }
    return text;
  }

  private <T> T parsed(YamlNode node, String field, Function<String, T> parser) {
    String text = scalar(node, field);
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      problem(node.line(), field, e.getMessage());
      return null;
    }
  }

  private Map<String, String> promLabels(YamlNode node, String field) {
    return stringMap(node, field, (key, keyLine) -> {
      if (!LABEL_NAME.matcher(key).matches()) {
        problem(keyLine, field + "." + key,
            "'" + key + "' is not a label name; expected letters, digits and '_', not starting with a digit");
      } else if (RESERVED_LABELS.contains(key) || key.startsWith("__")) {
        problem(keyLine, field + "." + key, "'" + key + "' is set by raftwatch itself; "
            + "choose another label name (reserved: job, instance, cluster, member, __*)");
      }
    }, null);
  }

  private Map<String, String> k8sLabels(YamlNode node, String field) {
    return stringMap(node, field, (key, keyLine) -> {
      if (!K8S_LABEL_KEY.matcher(key).matches()) {
        problem(keyLine, field + "." + key, "'" + key + "' is not a valid Kubernetes label key");
      }
    }, K8S_LABEL_VALUE);
  }

  private interface KeyCheck {
    void check(String key, int keyLine);
  }

  private Map<String, String> stringMap(YamlNode node, String field, KeyCheck keyCheck,
      Pattern valuePattern) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      problem(node.line(), field, "expected a mapping of names to values, got " + node.kind());
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (YamlNode.Entry e : mapping.entries().values()) {
      keyCheck.check(e.key(), e.keyLine());
      String value = scalar(e.value(), field + "." + e.key());
      if (value != null && valuePattern != null && !valuePattern.matcher(value).matches()) {
        problem(e.value().line(), field + "." + e.key(),
            "'" + value + "' is not a valid Kubernetes label value");
      }
      if (value != null) {
        out.put(e.key(), value);
      }
    }
    return out;
  }

  private String scalar(YamlNode node, String field) {
    if (node instanceof YamlNode.Scalar s && !s.isNull()) {
      return s.text();
    }
    problem(node.line(), field, "expected a single value, got " + node.kind());
    return null;
  }

  private List<YamlNode> sequence(YamlNode node, String field, boolean nonEmpty) {
    if (!(node instanceof YamlNode.Sequence seq)) {
      problem(node.line(), field, "expected a list, got " + node.kind());
      return List.of();
    }
    if (nonEmpty && seq.items().isEmpty()) {
      problem(node.line(), field, "must list at least one entry");
    }
    return seq.items();
  }

  private Fields fields(YamlNode node, String field, String... known) {
    if (node instanceof YamlNode.Mapping mapping) {
      return new Fields(mapping, field, known);
    }
    problem(node.line(), field.isEmpty() ? "" : field,
        "expected a mapping with " + String.join(", ", known) + "; got " + node.kind());
    return null;
  }

  private void problem(int line, String field, String message) {
    problems.add(new ConfigProblem(source, line, field, message));
  }

  private static Duration min(Duration a, Duration b) {
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  /** Lower-cases a name and replaces what DNS-1123 forbids, for default Kubernetes names. */
  private static String dns1123(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("-+$", "");
    }
    return s.isEmpty() ? "etcd" : s;
  }

  /** The keys of one mapping: hands out values and reports keys nobody asked for. */
  private final class Fields {
    private final YamlNode.Mapping mapping;
    private final String path;
    private final Set<String> known;

    Fields(YamlNode.Mapping mapping, String path, String... known) {
      this.mapping = mapping;
      this.path = path;
      this.known = new LinkedHashSet<>(List.of(known));
    }

    boolean has(String key) {
      YamlNode.Entry e = mapping.entries().get(key);
      return e != null && !(e.value() instanceof YamlNode.Scalar s && s.isNull());
    }

    YamlNode node(String key) {
      return mapping.entries().get(key).value();
    }

    /** The value, or empty when absent or null (YAML's {@code key:} with nothing after it). */
    Optional<YamlNode> optional(String key) {
      return has(key) ? Optional.of(node(key)) : Optional.empty();
    }

    YamlNode required(String key) {
      if (!has(key)) {
        problem(mapping.line(), child(key), "missing");
        return null;
      }
      return node(key);
    }

    String requiredString(String key) {
      YamlNode n = required(key);
      return n == null ? null : scalar(n, child(key));
    }

    Optional<String> optionalString(String key) {
      return optional(key).map(n -> scalar(n, child(key)));
    }

    void finish() {
      for (YamlNode.Entry e : mapping.entries().values()) {
        if (!known.contains(e.key())) {
          problem(e.keyLine(), child(e.key()),
              "unknown field; expected one of " + String.join(", ", known));
        }
      }
    }

    private String child(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }
}
