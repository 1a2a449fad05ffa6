<#-- Shared by every manifest template: quoting and the Secret's key names. -->
<#-- The keys of the TLS Secret; the ServiceMonitor's tlsConfig names the same keys. -->
<#assign caKey = "ca.crt">
<#assign certKey = "client.crt">
<#assign keyKey = "client.key">
<#-- A YAML double-quoted scalar: Java string escapes (quote, backslash, \n, \t, \uXXXX) are valid YAML escapes too. -->
<#function q text><#return "\"" + text?j_string + "\""></#function>
<#-- The metadata every rendered object carries. -->
<#macro metadata name namespace labels>
metadata:
  name: ${q(name)}
<#if namespace?has_content>
  namespace: ${q(namespace)}
</#if>
  labels:
<#list labels as key, value>
    ${key}: ${q(value)}
</#list>
</#macro>
