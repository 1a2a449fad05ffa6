# Everything raftwatch rendered from ${source}: kubectl apply -k .
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
<#list resources as file>
  - ${file}
</#list>
