<#-- Source of alert-rules/etcd.rules.yaml. Render it with
       bin/raftwatch rules render [--member-labels instance,pod] [--selector 'job=~".*etcd.*"']
     Parameters:
       selector      label matchers that select etcd series, without braces
       memberLabels  the labels that identify one member, comma-separated ("instance", or
                     "instance, pod" under Kubernetes); aggregated away by cluster-wide alerts
       runbook       where the runbooks are (alert-rules/README.md, or its URL where you publish it)
-->
# Generated from alert-rules/src/etcd.rules.yaml.ftl with member labels "${memberLabels}" and
# selector ${selector}: edit the source, then run bin/raftwatch rules render.
# The first 15 alerts are the etcd mixin's (etcd repository, contrib/mixin); the rest are
# raftwatch's. alert-rules/README.md explains each one and what to do when it fires.
groups:
  - name: etcd
    rules:
      # NB: unlike the mixin, the scrape branch keeps only clusters with a member down ("> 0"):
      # otherwise its zero hides the peer-failure branch, whose labels are the same after
      # aggregation, and a partition with every member still scraped never alerts.
      - alert: etcdMembersDown
        expr: |
          max without (endpoint) (
            sum without (${memberLabels}) (up{${selector}} == bool 0) > 0
          or
            count without (To) (
              sum without (${memberLabels}) (rate(etcd_network_peer_sent_failures_total{${selector}}[120s])) > 0.01
            )
          )
          > 0
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster members are down.
          description: 'etcd cluster "{{ $labels.cluster }}": members are down ({{ $value }}).'
          runbook_url: ${runbook}#etcdmembersdown
      - alert: etcdInsufficientMembers
        expr: |
          sum(up{${selector}} == bool 1) without (${memberLabels}) < ((count(up{${selector}}) without (${memberLabels}) + 1) / 2)
        for: 3m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster has insufficient number of members.
          description: 'etcd cluster "{{ $labels.cluster }}": insufficient members ({{ $value }}).'
          runbook_url: ${runbook}#etcdinsufficientmembers
      - alert: etcdNoLeader
        expr: |
          etcd_server_has_leader{${selector}} == 0
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster has no leader.
          description: 'etcd cluster "{{ $labels.cluster }}": member {{ $labels.instance }} has no leader.'
          runbook_url: ${runbook}#etcdnoleader
      - alert: etcdHighNumberOfLeaderChanges
        expr: |
          increase((max without (${memberLabels}) (etcd_server_leader_changes_seen_total{${selector}}) or 0*absent(etcd_server_leader_changes_seen_total{${selector}}))[15m:1m]) >= 4
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster has high number of leader changes.
          description: 'etcd cluster "{{ $labels.cluster }}": {{ $value | printf "%.0f" }} leader changes within the last 15 minutes. Frequent elections may be a sign of insufficient resources, high network latency, or disruptions by other components and should be investigated.'
          runbook_url: ${runbook}#etcdhighnumberofleaderchanges
      # Only codes that mean the server failed count: Canceled (a client closing its Watch or
      # LeaseKeepAlive stream) and the client's own mistakes (InvalidArgument, NotFound, ...) do not.
      - alert: etcdHighNumberOfFailedGRPCRequests
        expr: |
          100 * sum(rate(grpc_server_handled_total{${selector}, grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"}[5m])) without (grpc_type, grpc_code)
            /
          sum(rate(grpc_server_handled_total{${selector}}[5m])) without (grpc_type, grpc_code)
            > 1
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster has high number of failed grpc requests.
          description: 'etcd cluster "{{ $labels.cluster }}": {{ $value | humanize }}% of requests for {{ $labels.grpc_method }} failed on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighnumberoffailedgrpcrequests
      - alert: etcdHighNumberOfFailedGRPCRequests
        expr: |
          100 * sum(rate(grpc_server_handled_total{${selector}, grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"}[5m])) without (grpc_type, grpc_code)
            /
          sum(rate(grpc_server_handled_total{${selector}}[5m])) without (grpc_type, grpc_code)
            > 5
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster has high number of failed grpc requests.
          description: 'etcd cluster "{{ $labels.cluster }}": {{ $value | humanize }}% of requests for {{ $labels.grpc_method }} failed on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighnumberoffailedgrpcrequests
      # grpc_server_handling_seconds exists only when etcd runs with --metrics=extensive.
      - alert: etcdGRPCRequestsSlow
        expr: |
          histogram_quantile(0.99, sum(rate(grpc_server_handling_seconds_bucket{${selector}, grpc_method!="Defragment", grpc_type="unary"}[5m])) without(grpc_type))
          > 0.15
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: etcd grpc requests are slow.
          description: 'etcd cluster "{{ $labels.cluster }}": 99th percentile of gRPC requests is {{ $value | humanizeDuration }} on etcd instance {{ $labels.instance }} for {{ $labels.grpc_method }} method.'
          runbook_url: ${runbook}#etcdgrpcrequestsslow
      - alert: etcdMemberCommunicationSlow
        expr: |
          histogram_quantile(0.99, rate(etcd_network_peer_round_trip_time_seconds_bucket{${selector}}[5m]))
          > 0.15
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster member communication is slow.
          description: 'etcd cluster "{{ $labels.cluster }}": member communication with {{ $labels.To }} is taking {{ $value | humanizeDuration }} on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdmembercommunicationslow
      - alert: etcdHighNumberOfFailedProposals
        expr: |
          rate(etcd_server_proposals_failed_total{${selector}}[15m]) > 5
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster has high number of proposal failures.
          description: 'etcd cluster "{{ $labels.cluster }}": {{ $value | humanize }} proposal failures per second over the last 15 minutes on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighnumberoffailedproposals
      - alert: etcdHighFsyncDurations
        expr: |
          histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{${selector}}[5m]))
          > 0.5
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster 99th percentile fsync durations are too high.
          description: 'etcd cluster "{{ $labels.cluster }}": 99th percentile fsync durations are {{ $value | humanizeDuration }} on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighfsyncdurations
      - alert: etcdHighFsyncDurations
        expr: |
          histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{${selector}}[5m]))
          > 1
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster 99th percentile fsync durations are too high.
          description: 'etcd cluster "{{ $labels.cluster }}": 99th percentile fsync durations are {{ $value | humanizeDuration }} on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighfsyncdurations
      - alert: etcdHighCommitDurations
        expr: |
          histogram_quantile(0.99, rate(etcd_disk_backend_commit_duration_seconds_bucket{${selector}}[5m]))
          > 0.25
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster 99th percentile commit durations are too high.
          description: 'etcd cluster "{{ $labels.cluster }}": 99th percentile commit durations are {{ $value | humanizeDuration }} on etcd instance {{ $labels.instance }}.'
          runbook_url: ${runbook}#etcdhighcommitdurations
      - alert: etcdDatabaseQuotaLowSpace
        expr: |
          (last_over_time(etcd_mvcc_db_total_size_in_bytes{${selector}}[5m]) / last_over_time(etcd_server_quota_backend_bytes{${selector}}[5m]))*100 > 95
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: etcd cluster database is running full.
          description: 'etcd cluster "{{ $labels.cluster }}": database size is {{ $value | humanize }}% of the quota on etcd instance {{ $labels.instance }}; defragment or raise the quota, as etcd refuses writes when it is full.'
          runbook_url: ${runbook}#etcddatabasequotalowspace
      - alert: etcdExcessiveDatabaseGrowth
        expr: |
          predict_linear(etcd_mvcc_db_total_size_in_bytes{${selector}}[4h], 4*60*60) > etcd_server_quota_backend_bytes{${selector}}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd cluster database growing very fast.
          description: 'etcd cluster "{{ $labels.cluster }}": at the rate of the past four hours, the database of etcd instance {{ $labels.instance }} reaches its quota within four hours (predicted {{ $value | humanize1024 }}B).'
          runbook_url: ${runbook}#etcdexcessivedatabasegrowth
      - alert: etcdDatabaseHighFragmentationRatio
        expr: |
          (last_over_time(etcd_mvcc_db_total_size_in_use_in_bytes{${selector}}[5m]) / last_over_time(etcd_mvcc_db_total_size_in_bytes{${selector}}[5m])) < 0.5 and etcd_mvcc_db_total_size_in_use_in_bytes{${selector}} > 104857600
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd database size in use is less than 50% of the actual allocated storage.
          description: 'etcd cluster "{{ $labels.cluster }}": database size in use on instance {{ $labels.instance }} is {{ $value | humanizePercentage }} of the actual allocated disk space, please run defragmentation (e.g. etcdctl defrag) to retrieve the unused fragmented disk space.'
          runbook_url: ${runbook}#etcddatabasehighfragmentationratio
  - name: raftwatch-etcd
    rules:
      - alert: etcdHighNumberOfPendingProposals
        expr: |
          min_over_time(etcd_server_proposals_pending{${selector}}[5m]) > 5
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: etcd proposals stay pending.
          description: 'etcd cluster "{{ $labels.cluster }}": at least {{ $value }} proposals have been waiting for commit on etcd instance {{ $labels.instance }} for 10 minutes.'
          runbook_url: ${runbook}#etcdhighnumberofpendingproposals
      - alert: etcdHighFileDescriptorUsage
        expr: |
          process_open_fds{${selector}} / process_max_fds{${selector}} > 0.8
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd uses most of its file descriptors.
          description: 'etcd cluster "{{ $labels.cluster }}": etcd instance {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its file descriptor limit.'
          runbook_url: ${runbook}#etcdhighfiledescriptorusage
      - alert: etcdHighFileDescriptorUsage
        expr: |
          process_open_fds{${selector}} / process_max_fds{${selector}} > 0.9
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: etcd is about to run out of file descriptors.
          description: 'etcd cluster "{{ $labels.cluster }}": etcd instance {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its file descriptor limit.'
          runbook_url: ${runbook}#etcdhighfiledescriptorusage
      - alert: etcdFileDescriptorExhaustionPredicted
        expr: |
          predict_linear(process_open_fds{${selector}}[1h], 4*60*60) > process_max_fds{${selector}}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: etcd will run out of file descriptors within four hours.
          description: 'etcd cluster "{{ $labels.cluster }}": at the rate of the past hour, etcd instance {{ $labels.instance }} would have {{ $value | printf "%.0f" }} file descriptors open in four hours, more than its limit.'
          runbook_url: ${runbook}#etcdfiledescriptorexhaustionpredicted
      - alert: etcdMemberScrapeFailing
        expr: |
          up{${selector}} == 0
        for: 2m
        labels:
          severity: warning
        annotations:
          summary: etcd member cannot be scraped.
          description: 'etcd cluster "{{ $labels.cluster }}": scrapes of etcd instance {{ $labels.instance }} have failed for 2 minutes.'
          runbook_url: ${runbook}#etcdmemberscrapefailing
