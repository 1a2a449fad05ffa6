<#ftl output_format="Markdown" strip_whitespace=true>
<#-- The report as Markdown; every value is escaped by report.MarkdownOutputFormat.
     Model: report.ReportView. -->
# Cluster ${cluster}: ${verdict}

${verdictReason}

From ${from} to ${to} (${window}), data from ${source}.

## Members

<#if members?has_content>
| Member | Instance | Up | Leader | Has leader | Leader changes (window / total) | Proposals committed | Applied | Pending (now / max) | Failed (window) | WAL fsync p99 | Backend commit p99 | DB size | Quota used | Open fds / limit | Resident memory |
|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
<#list members as m>
| ${m.member} | ${m.instance} | ${m.up} | ${m.leader} | ${m.hasLeader} | ${m.leaderChangesInWindow} / ${m.leaderChangesSeen} | ${m.proposalsCommitted} | ${m.proposalsApplied} | ${m.proposalsPending} / ${m.proposalsPendingMax} | ${m.proposalsFailedInWindow} | ${m.walFsyncP99} | ${m.backendCommitP99} | ${m.dbSize} | ${m.quotaUsed} of ${m.quota} | ${m.openFds} / ${m.maxFds} (${m.fdUse}) | ${m.residentMemory} |
</#list>
<#else>
No member was seen at the end of the window.
</#if>

## Active alerts

<#if activeAlerts?has_content>
| State | Severity | Alert | Labels | Summary | Active since | Runbook |
|---|---|---|---|---|---|---|
<#list activeAlerts as a>
| ${a.state} | ${a.severity} | ${a.name} | ${a.labels} | ${a.summary} | ${a.activeAt} | ${a.runbookUrl} |
</#list>
<#else>
No alert is pending or firing.
</#if>

## Alerts in the window

<#if recentAlerts?has_content>
| Severity | Alert | Labels | Reached | First seen | Last seen | Summary | Runbook |
|---|---|---|---|---|---|---|---|
<#list recentAlerts as a>
| ${a.severity} | ${a.name} | ${a.labels} | ${a.fired} | ${a.firstSeen} | ${a.lastSeen} | ${a.summary} | ${a.runbookUrl} |
</#list>
<#else>
No alert was pending or firing in the window.
</#if>

## Charts

The HTML and JSON forms carry every point; here each line is summed up.

<#list charts as c>
### ${c.title} (${c.unit})

<#if c.rows?has_content>
| Member | Min | Max | Last | Points |
|---|---:|---:|---:|---:|
<#list c.rows as r>
| ${r.member} | ${r.min} | ${r.max} | ${r.last} | ${r.points} |
</#list>
<#else>
No data in this window.
</#if>

</#list>
<#if problems?has_content>
## Problems

<#list problems as p>
* ${p}
</#list>

</#if>
_raftwatch report, schema version ${schemaVersion}_
