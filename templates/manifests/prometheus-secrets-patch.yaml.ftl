# Mounts the Secret ${secretName} into the Prometheus resource ${prometheus.namespace}/${prometheus.name}, so
# the ServiceMonitor's caFile, certFile and keyFile exist under /etc/prometheus/secrets/${secretName}/.
# Not part of kustomization.yaml (the Prometheus resource belongs to its own installation). Apply:
#   kubectl -n ${prometheus.namespace} patch prometheus ${prometheus.name} --type merge --patch-file prometheus-secrets-patch.yaml
# A merge patch replaces the whole list: add any Secrets the resource already mounts.
spec:
  secrets:
    - "${secretName}"
