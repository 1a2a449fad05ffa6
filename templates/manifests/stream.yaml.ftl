<#-- Every rendered object as one multi-document YAML stream (raftwatch manifests --stdout). -->
<#list documents as document>
---
${document}</#list>
