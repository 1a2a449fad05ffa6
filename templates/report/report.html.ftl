<#ftl output_format="HTML" strip_whitespace=true>
<#-- The report as one self-contained page: inline CSS and SVG, no script, no external asset.
     Well-formed XML as well as HTML, so tests parse it strictly. Model: report.ReportView. -->
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="raftwatch-report-schema" content="${schemaVersion}"/>
<title>raftwatch report: ${cluster} (${verdict})</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; }
h1 { margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
.verdict { display: inline-block; padding: 0.3em 0.8em; border-radius: 4px; font-weight: bold; color: #fff; }
.verdict.ok { background: #2e7d32; } .verdict.warning { background: #ef6c00; }
.verdict.critical { background: #c62828; } .verdict.unknown { background: #616161; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #2e7d32; } .critical { color: #c62828; font-weight: bold; } .warning { color: #ef6c00; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.charts figure { margin: 0; border: 1px solid #ddd; padding: 0.3em; }
.charts figcaption { font-size: 0.75em; color: #666; max-width: 640px; overflow-wrap: anywhere; }
code { font-size: 0.85em; }
</style>
</head>
<body>
<h1>Cluster ${cluster}</h1>
<p class="meta">From ${from} to ${to} (${window}), data from ${source}</p>
<p><span class="verdict ${verdictClass}" id="verdict">${verdict}</span> ${verdictReason}</p>

<h2>Members</h2>
<#if members?has_content>
<table id="members">
<thead><tr><th>Member</th><th>Instance</th><th>Up</th><th>Leader</th><th>Has leader</th>
<th>Leader changes (window / total)</th><th>Proposals committed</th><th>Applied</th>
<th>Pending (now / max)</th><th>Failed (window)</th><th>WAL fsync p99</th><th>Backend commit p99</th>
<th>DB size</th><th>Quota used</th><th>Open fds / limit</th><th>Resident memory</th></tr></thead>
<tbody>
<#list members as m>
<tr data-member="${m.member}"><td>${m.member}</td><td>${m.instance}</td><td class="${m.upClass}">${m.up}</td>
<td>${m.leader}</td><td>${m.hasLeader}</td>
<td class="num">${m.leaderChangesInWindow} / ${m.leaderChangesSeen}</td>
<td class="num">${m.proposalsCommitted}</td><td class="num">${m.proposalsApplied}</td>
<td class="num">${m.proposalsPending} / ${m.proposalsPendingMax}</td>
<td class="num">${m.proposalsFailedInWindow}</td>
<td class="num">${m.walFsyncP99}</td><td class="num">${m.backendCommitP99}</td>
<td class="num">${m.dbSize}</td><td class="num">${m.quotaUsed} of ${m.quota}</td>
<td class="num">${m.openFds} / ${m.maxFds} (${m.fdUse})</td><td class="num">${m.residentMemory}</td></tr>
</#list>
</tbody>
</table>
<#else>
<p>No member was seen at the end of the window.</p>
</#if>

<h2>Active alerts</h2>
<#if activeAlerts?has_content>
<table id="active-alerts">
<thead><tr><th>State</th><th>Severity</th><th>Alert</th><th>Labels</th><th>Summary</th><th>Active since</th><th>Runbook</th></tr></thead>
<tbody>
<#list activeAlerts as a>
<tr><td>${a.state}</td><td class="${a.severityClass}">${a.severity}</td><td>${a.name}</td><td>${a.labels}</td>
<td>${a.summary}<#if a.description?has_content><br/><small>${a.description}</small></#if></td>
<td>${a.activeAt}</td><td><@runbook a/></td></tr>
</#list>
</tbody>
</table>
<#else>
<p>No alert is pending or firing.</p>
</#if>

<h2>Alerts in the window</h2>
<#if recentAlerts?has_content>
<table id="recent-alerts">
<thead><tr><th>Severity</th><th>Alert</th><th>Labels</th><th>Reached</th><th>First seen</th><th>Last seen</th><th>Summary</th><th>Runbook</th></tr></thead>
<tbody>
<#list recentAlerts as a>
<tr><td class="${a.severityClass}">${a.severity}</td><td>${a.name}</td><td>${a.labels}</td><td>${a.fired}</td>
<td>${a.firstSeen}</td><td>${a.lastSeen}</td><td>${a.summary}</td><td><@runbook a/></td></tr>
</#list>
</tbody>
</table>
<#else>
<p>No alert was pending or firing in the window.</p>
</#if>

<h2>Charts</h2>
<div class="charts">
<#list charts as c>
<figure id="chart-${c.id}">
${c.svg?no_esc}
<figcaption><code>${c.query}</code></figcaption>
</figure>
</#list>
</div>

<#if problems?has_content>
<h2>Problems</h2>
<ul id="problems">
<#list problems as p><li>${p}</li></#list>
</ul>
</#if>
<p class="meta">raftwatch report, schema version ${schemaVersion}</p>
</body>
</html>
<#macro runbook a><#if a.runbookHref?has_content><a href="${a.runbookHref}">${a.runbookUrl}</a><#else>${a.runbookUrl}</#if></#macro>
