<#import "common.ftl" as c>
# The CA, client certificate and key Prometheus presents to the etcd members, read from the files
# named in ${source}. This Secret holds a private key: keep the rendered file out of version
# control, or set kubernetes.existingSecret to refer to a Secret made by other means (safer).
apiVersion: v1
kind: Secret
<@c.metadata secret.name secret.namespace labels/>
type: Opaque
data:
<#if secret.ca??>
  ${c.caKey}: ${c.q(secret.ca)}
</#if>
<#if secret.cert??>
  ${c.certKey}: ${c.q(secret.cert)}
  ${c.keyKey}: ${c.q(secret.key)}
</#if>
