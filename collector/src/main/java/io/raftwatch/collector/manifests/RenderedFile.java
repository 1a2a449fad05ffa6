package io.raftwatch.collector.manifests;

/**
 * One rendered output file, held in memory until every file of the set rendered.
 *
 * @param name the file name inside the output directory, e.g. {@code etcd-service.yaml}
 * @param content the rendered text
 * @param kind what it is: a Kubernetes object listed in kustomization.yaml, or a file beside it
 */
public record RenderedFile(String name, String content, Kind kind) {

  /** Whether a file belongs in kustomization.yaml and on {@code --stdout}. */
  public enum Kind {
    /** A Kubernetes object: listed in kustomization.yaml, printed by {@code --stdout}. */
    OBJECT,
    /** Something to apply or import by hand (dashboard JSON, a patch for Prometheus). */
    EXTRA,
    /** kustomization.yaml itself. */
    KUSTOMIZATION
  }
}
