<#--
  The raftwatch etcd dashboard (Grafana JSON model, schemaVersion 39). The panels cover those of
  Grafana's etcd dashboard 3070 and the etcd mixin's dashboard. Rendered into dashboards/etcd.json
  and into the dashboard ConfigMap; EtcdDashboardTest fails when the committed file differs.
  etcd specifics (../shared/etcd-3.4-observed.md): proposals_committed/applied_total are gauges
  holding Raft indexes (rate() of a never-decreasing index is still commits per second); peer
  series carry capitalised To/From labels; grpc_server_handled_total is pre-initialised per code.
-->
<#assign ds = r"${datasource}">
<#assign s = 'cluster="$cluster", instance=~"$instance"'>
<#assign ri = "[$__rate_interval]">
<#function q text><#return "\"" + text?json_string + "\""></#function>
<#function target expr legend><#return {"expr": expr, "legend": legend}></#function>
<#function p type title unit desc targets w=12 h=8 mappings=false instant=false>
  <#return {"type": type, "title": title, "unit": unit, "desc": desc, "targets": targets, "w": w,
    "h": h, "mappings": mappings, "instant": instant}>
</#function>
<#assign panels = [
  p("stat", "Members up", "none", "Members whose last scrape succeeded (Prometheus's up).",
    [target("sum(up{" + s + "})", "up")], 4, 4),
  p("stat", "Has leader", "none", "Whether every selected member sees a leader (etcd_server_has_leader).",
    [target("min(etcd_server_has_leader{" + s + "})", "has leader")], 4, 4, true),
  p("stat", "Leader changes (1h)", "none", "Leader elections seen in the last hour, by the member that saw most.",
    [target("max(increase(etcd_server_leader_changes_seen_total{" + s + "}[1h]))", "leader changes")], 4, 4),
  p("stat", "DB size", "bytes", "Largest backend database file among the selected members.",
    [target("max(etcd_mvcc_db_total_size_in_bytes{" + s + "})", "DB size")], 4, 4),
  p("stat", "Quota used", "percentunit", "Largest database size as a share of its backend quota; at 100% etcd raises NOSPACE and refuses writes.",
    [target("max(etcd_mvcc_db_total_size_in_bytes{" + s + "} / etcd_server_quota_backend_bytes{" + s + "})", "quota used")], 4, 4),
  p("stat", "Firing alerts", "none", "raftwatch alerts firing for this cluster (Prometheus's ALERTS).",
    [target('count(ALERTS{alertstate="firing", cluster="$cluster"}) or vector(0)', "firing")], 4, 4),
  p("timeseries", "RPC rate", "reqps", "Unary gRPC requests started per second.",
    [target("sum by (instance) (rate(grpc_server_started_total{" + s + ', grpc_type="unary"}' + ri + "))", "{{instance}}")]),
  p("timeseries", "Failed RPCs", "reqps", "gRPC calls per second that ended with a code other than OK; Canceled is left out because every Watch or LeaseKeepAlive stream a client closes ends with it.",
    [target("sum by (instance) (rate(grpc_server_handled_total{" + s + ', grpc_code!~"OK|Canceled"}' + ri + "))", "{{instance}}")]),
  p("timeseries", "Active watch and lease streams", "short", "Watch and LeaseKeepAlive streams opened and not yet closed.",
    [target("sum by (instance) (grpc_server_started_total{" + s + ', grpc_service="etcdserverpb.Watch", grpc_type="bidi_stream"}) - sum by (instance) (grpc_server_handled_total{' + s + ', grpc_service="etcdserverpb.Watch", grpc_type="bidi_stream"})', "watch {{instance}}"),
     target("sum by (instance) (grpc_server_started_total{" + s + ', grpc_service="etcdserverpb.Lease", grpc_type="bidi_stream"}) - sum by (instance) (grpc_server_handled_total{' + s + ', grpc_service="etcdserverpb.Lease", grpc_type="bidi_stream"})', "lease {{instance}}")]),
  p("timeseries", "DB size", "bytes", "Backend database file size (allocated) and the part in use; the gap is reclaimed by defragmentation.",
    [target("etcd_mvcc_db_total_size_in_bytes{" + s + "}", "allocated {{instance}}"),
     target("etcd_mvcc_db_total_size_in_use_in_bytes{" + s + "}", "in use {{instance}}"),
     target("max(etcd_server_quota_backend_bytes{" + s + "})", "quota")]),
  p("timeseries", "Quota use", "percentunit", "Database size as a share of the backend quota.",
    [target("etcd_mvcc_db_total_size_in_bytes{" + s + "} / etcd_server_quota_backend_bytes{" + s + "}", "{{instance}}")]),
  p("timeseries", "WAL fsync p99", "s", "99th percentile of the write-ahead log's fsync latency; above 10 ms the disk is too slow for etcd.",
    [target("histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{" + s + "}" + ri + ")))", "{{instance}}")]),
  p("timeseries", "Backend commit p99", "s", "99th percentile of the backend database's commit latency.",
    [target("histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_backend_commit_duration_seconds_bucket{" + s + "}" + ri + ")))", "{{instance}}")]),
  p("timeseries", "Raft proposals", "ops", "Proposals committed and applied per second (from the Raft indexes), and failed proposals per second.",
    [target("sum by (instance) (rate(etcd_server_proposals_committed_total{" + s + "}" + ri + "))", "committed {{instance}}"),
     target("sum by (instance) (rate(etcd_server_proposals_applied_total{" + s + "}" + ri + "))", "applied {{instance}}"),
     target("sum by (instance) (rate(etcd_server_proposals_failed_total{" + s + "}" + ri + "))", "failed {{instance}}")]),
  p("timeseries", "Pending proposals", "short", "Proposals waiting to commit, and entries committed but not yet applied.",
    [target("etcd_server_proposals_pending{" + s + "}", "pending {{instance}}"),
     target("etcd_server_proposals_committed_total{" + s + "} - etcd_server_proposals_applied_total{" + s + "}", "not applied {{instance}}")]),
  p("timeseries", "Leader changes", "short", "Leader elections each member saw in the preceding hour.",
    [target("increase(etcd_server_leader_changes_seen_total{" + s + "}[1h])", "{{instance}}")]),
  p("timeseries", "Client traffic in", "Bps", "Bytes received from gRPC clients per second.",
    [target("sum by (instance) (rate(etcd_network_client_grpc_received_bytes_total{" + s + "}" + ri + "))", "{{instance}}")]),
  p("timeseries", "Client traffic out", "Bps", "Bytes sent to gRPC clients per second.",
    [target("sum by (instance) (rate(etcd_network_client_grpc_sent_bytes_total{" + s + "}" + ri + "))", "{{instance}}")]),
  p("timeseries", "Peer traffic in", "Bps", "Bytes received from the other members per second (all From labels).",
    [target("sum by (instance) (rate(etcd_network_peer_received_bytes_total{" + s + "}" + ri + "))", "{{instance}}")]),
  p("timeseries", "Peer traffic out", "Bps", "Bytes sent to the other members per second (all To labels).",
    [target("sum by (instance) (rate(etcd_network_peer_sent_bytes_total{" + s + "}" + ri + "))", "{{instance}}")]),
  p("timeseries", "Peer round-trip time p99", "s", "99th percentile of the round-trip time to each peer (To is the peer's member ID).",
    [target("histogram_quantile(0.99, sum by (instance, To, le) (rate(etcd_network_peer_round_trip_time_seconds_bucket{" + s + "}" + ri + ")))", "{{instance}} to {{To}}")]),
  p("timeseries", "Memory", "bytes", "Resident memory of each etcd process.",
    [target("process_resident_memory_bytes{" + s + "}", "{{instance}}")]),
  p("timeseries", "Open file descriptors", "short", "File descriptors open, against the process's limit.",
    [target("process_open_fds{" + s + "}", "open {{instance}}"),
     target("process_max_fds{" + s + "}", "limit {{instance}}")]),
  p("timeseries", "Has leader per member", "none", "1 when the member sees a leader, 0 when it does not.",
    [target("etcd_server_has_leader{" + s + "}", "{{instance}}")], 12, 8, true),
  p("table", "Firing raftwatch alerts", "none", "Alerts of alert-rules/ firing for this cluster now.",
    [target('ALERTS{alertstate="firing", cluster="$cluster"}', "{{alertname}}")], 24, 8, false, true)
]>
<#-- Panels flow left to right; a panel that does not fit in the 24 columns starts a new line. -->
<#assign x = 0><#assign y = 0><#assign lineHeight = 0>
{
  "annotations": {
    "list": [
      {
        "builtIn": 1,
        "datasource": {"type": "grafana", "uid": "-- Grafana --"},
        "enable": true,
        "hide": true,
        "iconColor": "rgba(0, 211, 255, 1)",
        "name": "Annotations & Alerts",
        "type": "dashboard"
      }
    ]
  },
  "description": "etcd clusters watched by raftwatch: members, leader, requests, disk, Raft, network and firing alerts.",
  "editable": true,
  "fiscalYearStartMonth": 0,
  "graphTooltip": 1,
  "links": [],
  "panels": [
<#list panels as panel>
<#if x + panel.w gt 24><#assign x = 0><#assign y = y + lineHeight><#assign lineHeight = 0></#if>
    {
      "datasource": {"type": "prometheus", "uid": ${q(ds)}},
      "description": ${q(panel.desc)},
      "fieldConfig": {
        "defaults": {
<#if panel.mappings>
          "mappings": [
            {"options": {"0": {"color": "red", "index": 0, "text": "no"}, "1": {"color": "green", "index": 1, "text": "yes"}}, "type": "value"}
          ],
</#if>
          "unit": ${q(panel.unit)}
        },
        "overrides": []
      },
      "gridPos": {"h": ${panel.h?c}, "w": ${panel.w?c}, "x": ${x?c}, "y": ${y?c}},
      "id": ${(panel?index + 1)?c},
<#if panel.type == "stat">
      "options": {
        "colorMode": "value",
        "graphMode": "area",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": false},
        "textMode": "auto"
      },
<#elseif panel.type == "timeseries">
      "options": {
        "legend": {"calcs": ["mean", "max"], "displayMode": "table", "placement": "bottom", "showLegend": true},
        "tooltip": {"mode": "multi", "sort": "desc"}
      },
<#else>
      "options": {"cellHeight": "sm", "showHeader": true},
      "transformations": [
        {"id": "labelsToFields", "options": {"mode": "columns"}},
        {"id": "organize", "options": {"excludeByName": {"Time": true, "Value": true, "__name__": true, "alertstate": true}}}
      ],
</#if>
      "targets": [
<#list panel.targets as t>
        {
          "datasource": {"type": "prometheus", "uid": ${q(ds)}},
          "expr": ${q(t.expr)},
<#if panel.instant>
          "format": "table",
          "instant": true,
<#else>
          "range": true,
</#if>
          "legendFormat": ${q(t.legend)},
          "refId": "${"ABCDEFGH"[t?index]}"
        }<#sep>,</#sep>
</#list>
      ],
      "title": ${q(panel.title)},
      "type": ${q(panel.type)}
    }<#sep>,</#sep>
<#assign x = x + panel.w><#if panel.h gt lineHeight><#assign lineHeight = panel.h></#if>
</#list>
  ],
  "refresh": "30s",
  "schemaVersion": 39,
  "tags": ["etcd", "raftwatch"],
  "templating": {
    "list": [
      {
        "current": {},
        "hide": 0,
        "includeAll": false,
        "label": "Data source",
        "multi": false,
        "name": "datasource",
        "options": [],
        "query": "prometheus",
        "refresh": 1,
        "regex": "",
        "type": "datasource"
      },
      {
        "current": {},
        "datasource": {"type": "prometheus", "uid": ${q(ds)}},
        "definition": "label_values(etcd_server_has_leader, cluster)",
        "description": "The etcd cluster: the cluster label that raftwatch's ServiceMonitor sets from raftwatch.yaml (not the job label).",
        "hide": 0,
        "includeAll": false,
        "label": "Cluster",
        "multi": false,
        "name": "cluster",
        "options": [],
        "query": {"qryType": 1, "query": "label_values(etcd_server_has_leader, cluster)", "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "refresh": 2,
        "regex": "",
        "sort": 1,
        "type": "query"
      },
      {
        "allValue": ".*",
        "current": {},
        "datasource": {"type": "prometheus", "uid": ${q(ds)}},
        "definition": "label_values(etcd_server_has_leader{cluster=\"$cluster\"}, instance)",
        "hide": 0,
        "includeAll": true,
        "label": "Instance",
        "multi": true,
        "name": "instance",
        "options": [],
        "query": {"qryType": 1, "query": "label_values(etcd_server_has_leader{cluster=\"$cluster\"}, instance)", "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "refresh": 2,
        "regex": "",
        "sort": 1,
        "type": "query"
      }
    ]
  },
  "time": {"from": "now-1h", "to": "now"},
  "timepicker": {},
  "timezone": "",
  "title": "etcd (raftwatch)",
  "uid": "raftwatch-etcd",
  "version": 1
}
