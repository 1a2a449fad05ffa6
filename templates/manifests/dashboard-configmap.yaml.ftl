<#import "common.ftl" as c>
# The raftwatch etcd dashboard for Grafana's dashboard sidecar, which loads every ConfigMap
# carrying the labels below (the same JSON is in ${dashboard.file}, for importing by hand).
apiVersion: v1
kind: ConfigMap
<@c.metadata dashboard.name namespace dashboard.labels/>
data:
  ${dashboard.file}: |
<#list dashboard.lines as line>
<#if line?has_content>
    ${line}
<#else>

</#if>
</#list>
