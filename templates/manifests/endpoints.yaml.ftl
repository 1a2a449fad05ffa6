<#import "common.ftl" as c>
# core/v1 Endpoints for clusters that predate EndpointSlice (deprecated since Kubernetes 1.33).
# The skip-mirror label stops the EndpointSlice mirroring controller from copying these addresses
# into a second EndpointSlice beside the one rendered here, which would double every target.
apiVersion: v1
kind: Endpoints
<@c.metadata service.name namespace endpointsLabels/>
subsets:
<#list slices as slice>
  - addresses:
<#list slice.endpoints as endpoint>
      - ip: ${c.q(endpoint.address)}
<#if endpoint.hostname??>
        hostname: ${c.q(endpoint.hostname)}
</#if>
</#list>
    ports:
      - name: ${c.q(service.portName)}
        port: ${slice.port?c}
        protocol: TCP
</#list>
