package io.raftwatch.collector.cli;

import io.raftwatch.collector.config.ConfigException;
import io.raftwatch.collector.config.RaftwatchConfig;
import io.raftwatch.collector.manifests.ManifestSet;
import io.raftwatch.collector.manifests.ManifestTemplates;
import io.raftwatch.collector.manifests.RenderedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code raftwatch manifests}: renders the Kubernetes objects and the Grafana dashboard for the
 * clusters of a config into a directory (or onto standard output). Everything is rendered before
 * anything is written, so a bad config writes nothing. Runs on the main thread.
 */
@Command(
    name = "manifests",
    mixinStandardHelpOptions = true,
    description = {"Render what Prometheus Operator and Grafana need to watch the clusters: Secret, "
        + "selector-less Service, EndpointSlice (and Endpoints on request), ServiceMonitor, "
        + "PrometheusRule, the dashboard as ConfigMap and JSON, and kustomization.yaml "
        + "(see docs/kubernetes.md)."},
    footer = {"", "Examples:",
        "  raftwatch manifests --config raftwatch.yaml --out k8s/ && kubectl apply -k k8s/",
        "  raftwatch manifests --config raftwatch.yaml --cluster prod --stdout",
        "", "Exit status: 0 rendered, 2 a mistake in the flags, config, certificate or rule files "
            + "(then nothing is written)."})
final class ManifestsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Output output;

  static final class Output {
    @Option(names = "--out", paramLabel = "DIR",
        description = "Write every file into DIR (created if missing; files of the same name are replaced).")
    Path dir;

    @Option(names = "--stdout",
        description = "Print the Kubernetes objects as one YAML stream instead (no JSON, no kustomization).")
    boolean stdout;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestTemplates templates = ManifestTemplates.bundled();
    ManifestSet set;
    try {
      RaftwatchConfig config = configOptions.load();
      set = ManifestSet.render(config, templates);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.println("raftwatch: nothing written");
      return RaftwatchCommand.USAGE;
    }
    if (output.stdout) {
      out.print(set.stream(templates));
      out.flush();
      return 0;
    }
    try {
      set.writeTo(output.dir);
    } catch (IOException e) {
      err.println("raftwatch: cannot write into " + output.dir + ": " + e.getMessage());
      return RaftwatchCommand.USAGE;
    }
    for (RenderedFile f : set.files()) {
      out.println(output.dir.resolve(f.name()));
    }
    out.flush();
    return 0;
  }
}
