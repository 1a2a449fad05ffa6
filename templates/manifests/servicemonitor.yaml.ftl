<#import "common.ftl" as c>
# Tells Prometheus Operator to scrape every member listed for the Service ${service.name} over
# ${scrape.scheme}, with the cluster's name in the `cluster` label and its job in `job`. No `member` label is
# added: the rules in alert-rules/ aggregate a cluster's members by dropping `instance` alone.
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
<@c.metadata service.name namespace labels/>
spec:
  selector:
    matchLabels:
<#list selector as key, value>
      ${key}: ${c.q(value)}
</#list>
  namespaceSelector:
    matchNames:
      - ${c.q(namespace)}
  serviceDiscoveryRole: EndpointSlice
  endpoints:
    - port: ${c.q(service.portName)}
      scheme: ${scrape.scheme}
      path: ${c.q(scrape.path)}
      interval: ${c.q(scrape.interval)}
      scrapeTimeout: ${c.q(scrape.timeout)}
<#if tls??>
      tlsConfig:
<#if tls.files??>
<#-- The older style: the Secret is mounted into Prometheus (see prometheus-secrets-patch.yaml). -->
<#if tls.hasCa>
        caFile: ${c.q(tls.files + c.caKey)}
</#if>
<#if tls.hasCert>
        certFile: ${c.q(tls.files + c.certKey)}
        keyFile: ${c.q(tls.files + c.keyKey)}
</#if>
<#else>
<#if tls.hasCa>
        ca:
          secret:
            name: ${c.q(tls.secret)}
            key: ${c.caKey}
</#if>
<#if tls.hasCert>
        cert:
          secret:
            name: ${c.q(tls.secret)}
            key: ${c.certKey}
        keySecret:
          name: ${c.q(tls.secret)}
          key: ${c.keyKey}
</#if>
</#if>
<#if tls.serverName??>
        serverName: ${c.q(tls.serverName)}
</#if>
<#if tls.insecureSkipVerify>
        # DANGER: insecureSkipVerify is on because ${source} asks for it. Prometheus then accepts
        # any server certificate, so anyone who can intercept the connection can impersonate a
        # member and is handed Prometheus's client certificate, which opens the whole etcd
        # database. Use it only in a test set-up; set caFile (and serverName) instead.
        insecureSkipVerify: true
</#if>
</#if>
      relabelings:
        - action: replace
          targetLabel: cluster
          replacement: ${c.q(cluster)}
        - action: replace
          targetLabel: job
          replacement: ${c.q(job)}
