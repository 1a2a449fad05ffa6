<#import "common.ftl" as c>
# The ${slice.addressType} addresses of the members of cluster ${c.q(cluster)}, listed by hand for the
# selector-less Service ${service.name}.
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
<@c.metadata slice.name namespace slice.labels/>
addressType: ${slice.addressType}
ports:
  - name: ${c.q(service.portName)}
    port: ${slice.port?c}
    protocol: TCP
endpoints:
<#list slice.endpoints as endpoint>
  - addresses:
      - ${c.q(endpoint.address)}
    conditions:
      ready: true
<#if endpoint.hostname??>
    hostname: ${c.q(endpoint.hostname)}
</#if>
</#list>
