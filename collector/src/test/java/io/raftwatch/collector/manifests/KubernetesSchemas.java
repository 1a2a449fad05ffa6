package io.raftwatch.collector.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas in ../shared/schemas: Kubernetes' JSON schemas for core and discovery objects, and
 * the openAPIV3Schema of Prometheus Operator's CRDs. Validates one parsed object by its kind.
 * Used by the manifest tests on their thread.
 */
final class KubernetesSchemas {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Schema> byKind = new HashMap<>();

  KubernetesSchemas() throws IOException {
    Path dir = SeedConfig.shared().resolve("schemas");
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    byKind.put("Service", registry.getSchema(k8s(dir, "service-v1.json")));
    byKind.put("Secret", registry.getSchema(k8s(dir, "secret-v1.json")));
    byKind.put("Endpoints", registry.getSchema(k8s(dir, "endpoints-v1.json")));
    byKind.put("EndpointSlice",
        registry.getSchema(k8s(dir, "endpointslice-discovery-v1.json")));
    byKind.put("ServiceMonitor", registry.getSchema(crdSchema(
        dir.resolve("monitoring.coreos.com_servicemonitors.yaml"))));
    byKind.put("PrometheusRule", registry.getSchema(crdSchema(
        dir.resolve("monitoring.coreos.com_prometheusrules.yaml"))));
  }

  /**
   * A Kubernetes JSON schema without its {@code $schema} ("http://json-schema.org/schema#", which
   * names no draft the validator can load offline); its keywords are draft 4's.
   */
  private static JsonNode k8s(Path dir, String file) throws IOException {
    ObjectNode schema = (ObjectNode) JSON.readTree(dir.resolve("k8s").resolve(file).toFile());
    schema.remove("$schema");
    return schema;
  }

  private static JsonNode crdSchema(Path crd) throws IOException {
    for (JsonNode version : YAML.readTree(crd.toFile()).at("/spec/versions")) {
      if (version.get("name").asText().equals("v1")) {
        return version.at("/schema/openAPIV3Schema");
      }
    }
    throw new IllegalStateException("no v1 in " + crd);
  }

  boolean knows(String kind) {
    return byKind.containsKey(kind);
  }

  /** The schema's complaints about the object, empty when it is valid. */
  List<String> validate(JsonNode object) {
    Schema schema = byKind.get(object.get("kind").asText());
    return schema.validate(object).stream().map(Error::toString).toList();
  }
}
