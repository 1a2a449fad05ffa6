<#import "common.ftl" as c>
# A Service without a selector: its endpoints are the etcd members listed in the EndpointSlice
# (etcd runs outside Kubernetes or as static pods), so Prometheus Operator can discover them.
apiVersion: v1
kind: Service
<@c.metadata service.name namespace labels/>
spec:
  clusterIP: None
  ports:
    - name: ${c.q(service.portName)}
      port: ${service.port?c}
      protocol: TCP
      targetPort: ${service.port?c}
