<#import "common.ftl" as c>
# The rule groups of ${rules.file}, unchanged, for Prometheus Operator; the labels match the
# ruleSelector of the Prometheus resource.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
<@c.metadata rules.name namespace rules.labels/>
spec:
<#list rules.lines as line>
<#if line?has_content>
  ${line}
<#else>

</#if>
</#list>
