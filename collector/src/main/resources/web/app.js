// raftwatch's report page: reads the collector's JSON API (docs/web.md) and redraws on every
// Server-Sent Event from /api/events (or every few seconds when the stream is unavailable).
// No libraries; charts are inline SVG drawn here.
"use strict";

(function () {
  const CHART_REFRESH_MS = 10000;
  const POLL_MS = 5000;
  const CHART_RANGE = "15m";
  let overview = null;
  let dailyReports = new Map();
  let chartsLoadedAt = 0;
  let refreshing = false;
  let refreshAgain = false;

  // Builds an element: h("td", {class: "x", "data-up": true}, "text", childNode, ...).
  // data-* attributes keep booleans as "true"/"false"; other attributes are left out when false.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || (v === false && !k.startsWith("data-"))) {
        continue;
      }
      el.setAttribute(k, v === true && !k.startsWith("data-") ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c !== null && c !== undefined) {
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
      }
    }
    return el;
  }

  function svg(tag, attrs, ...children) {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      el.setAttribute(k, String(v));
    }
    for (const c of children) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    const body = await r.json();
    if (!r.ok || body.status !== "success") {
      throw new Error(body && body.error ? body.error : "HTTP " + r.status);
    }
    return body.data;
  }

  function time(iso) {
    if (!iso) {
      return "–";
    }
    const d = new Date(iso);
    return d.toLocaleString(undefined, { hour12: false });
  }

  function ago(iso) {
    if (!iso) {
      return "never";
    }
    const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (s < 90) {
      return s + "s ago";
    }
    if (s < 5400) {
      return Math.round(s / 60) + "m ago";
    }
    return Math.round(s / 3600) + "h ago";
  }

  function badge(kind, text) {
    return h("span", { class: "badge " + kind }, text || kind);
  }

  function memberOf(labels) {
    return labels.member || labels.instance || "";
  }

  // ---- overview: glance cards, alerts, per-cluster members and reports ----

  function renderGlance(clusters) {
    const glance = document.getElementById("glance");
    glance.replaceChildren();
    if (clusters.length === 0) {
      glance.append(h("p", { class: "muted" }, "No clusters configured."));
    }
    for (const c of clusters) {
      const up = c.members.filter((m) => m.up).length;
      const firing = c.alerts.filter((a) => a.state === "firing").length;
      const pending = c.alerts.filter((a) => a.state === "pending").length;
      glance.append(h("div", { class: "card", "data-cluster": c.name, "data-verdict": c.verdict },
        h("h3", {}, h("a", { href: "#cluster-" + c.name }, c.name), " ", badge(c.verdict)),
        h("div", {}, up + "/" + c.members.length + " members up"),
        h("div", {}, "leader: ", c.leader ? h("span", { class: "leader" }, "★ " + c.leader) : h("span", { class: "error" }, "none")),
        h("div", {}, firing + " firing, " + pending + " pending"),
        h("div", { class: "muted" }, "checked " + ago(c.evaluatedAt))));
    }
  }

  function renderAlerts(clusters) {
    const body = document.querySelector("#alerts tbody");
    body.replaceChildren();
    let n = 0;
    for (const c of clusters) {
      for (const a of c.alerts) {
        n++;
        body.append(h("tr", { "data-alert": a.alertname, "data-state": a.state, "data-cluster": c.name },
          h("td", {}, badge(a.state)),
          h("td", {}, a.alertname),
          h("td", {}, a.severity),
          h("td", {}, c.name),
          h("td", {}, memberOf(a.labels)),
          h("td", { title: a.activeAt }, time(a.activeAt)),
          h("td", {}, a.value),
          h("td", {}, a.annotations.summary || a.annotations.description || "")));
      }
    }
    document.getElementById("no-alerts").hidden = n > 0;
  }

  function renderClusters(clusters) {
    const root = document.getElementById("clusters");
    const keep = new Map();
    for (const el of root.querySelectorAll("section[data-cluster]")) {
      keep.set(el.getAttribute("data-cluster"), el);
    }
    root.replaceChildren();
    for (const c of clusters) {
      let section = keep.get(c.name);
      if (!section) {
        section = h("section", { "data-cluster": c.name, id: "cluster-" + c.name },
          h("h2", {}), h("div", { class: "cluster-body" }), h("div", { class: "charts-area" }));
      }
      section.querySelector("h2").replaceChildren("Cluster ", c.name, " ", badge(c.verdict));
      section.querySelector(".cluster-body").replaceChildren(clusterBody(c));
      root.append(section);
    }
  }

  function clusterBody(c) {
    const rows = c.members.map((m) => h("tr", {
      "data-member": m.name, "data-up": m.up, "data-leader": m.leader === true },
      h("td", {}, m.leader === true ? h("span", { class: "leader", title: "leader" }, "★ " + m.name) : m.name),
      h("td", {}, h("code", {}, m.instance)),
      h("td", {}, m.up ? badge("up") : badge("down")),
      h("td", {}, m.leader === true ? "leader" : m.leader === false ? "follower" : "–"),
      h("td", {}, m.hasLeader === true ? "yes" : m.hasLeader === false ? h("span", { class: "error" }, "no") : "–"),
      h("td", { title: m.lastScrape || "" }, ago(m.lastScrape)),
      h("td", { class: "error" }, m.lastError || "")));
    const parts = [
      h("table", { class: "grid members" },
        h("thead", {}, h("tr", {}, ["Member", "Metrics endpoint", "Health", "Role", "Has leader", "Last scrape", "Last error"].map((t) => h("th", {}, t)))),
        h("tbody", {}, rows)),
    ];
    if (c.ruleProblems.length > 0) {
      parts.push(h("ul", { class: "error" }, c.ruleProblems.map((p) => h("li", {}, p))));
    }
    const reports = c.reports || [];
    if (reports.length > 0) {
      parts.push(h("p", { class: "reports" }, "Report of the last 24 hours: ",
        reports.map((r, i) => [i > 0 ? " · " : "", h("a", { href: r.href, "data-format": r.format, target: "_blank" }, r.format),
          " ", h("a", { href: r.href + "?download=1", class: "muted", title: "download" }, "⤓")])));
    }
    const daily = dailyReports.get(c.name) || [];
    if (daily.length > 0) {
      parts.push(h("p", { class: "reports muted" }, "Daily reports: ",
        daily.map((r, i) => [i > 0 ? " · " : "", h("a", { href: r.href, target: "_blank" }, r.name)])));
    }
    const tls = c.tls || {};
    parts.push(h("p", { class: "tls muted" }, "TLS: CA ", h("code", {}, tls.caFile || "–"),
      ", client certificate ", h("code", {}, tls.certFile || "–"),
      ", key ", h("code", {}, tls.keyFile || "–")));
    return h("div", {}, parts);
  }

  // ---- charts ----

  function format(v, unit) {
    if (!isFinite(v)) {
      return String(v);
    }
    if (unit === "s") {
      return v >= 1 ? v.toFixed(2) + " s" : (v * 1000).toPrecision(3) + " ms";
    }
    if (unit === "bytes") {
      const units = ["B", "KiB", "MiB", "GiB"];
      let i = 0;
      while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return v.toFixed(i === 0 ? 0 : 1) + " " + units[i];
    }
    if (unit === "ratio") {
      return (v * 100).toFixed(1) + "%";
    }
    return Number.isInteger(v) ? String(v) : v.toPrecision(3);
  }

  function drawChart(chart, windowFrom, to) {
    let from = windowFrom;
    const W = 240, H = 70, top = 4, bottom = 60;
    const points = [];
    for (const s of chart.series) {
      for (const p of s.points) {
        if (p[1] !== null && isFinite(p[1])) {
          points.push(p[1]);
        }
      }
    }
    // A member watched for less than the window: start the x axis at its first point.
    const firsts = chart.series.filter((s) => s.points.length > 0).map((s) => s.points[0][0]);
    if (firsts.length > 0) {
      from = Math.max(from, Math.min(...firsts));
    }
    const max = points.length ? Math.max(...points) : 0;
    const min = points.length ? Math.min(0, ...points) : 0;
    const span = max - min || 1;
    const x = (t) => ((t - from) / Math.max(1, to - from)) * W;
    const y = (v) => bottom - ((v - min) / span) * (bottom - top);
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img" },
      svg("line", { class: "axis", x1: 0, y1: bottom, x2: W, y2: bottom }));
    for (const s of chart.series) {
      let d = "";
      let pen = "M";
      for (const p of s.points) {
        if (p[1] === null || !isFinite(p[1])) {
          pen = "M";
          continue;
        }
        d += pen + x(p[0]).toFixed(1) + " " + y(p[1]).toFixed(1) + " ";
        pen = "L";
      }
      if (d) {
        root.append(svg("path", { class: "line", d: d.trim() }));
      }
    }
    root.append(svg("text", { x: 2, y: H - 1 }, points.length ? "max " + format(max, chart.unit) : "no data"));
    const last = lastValue(chart);
    return h("div", { class: "chart", "data-chart": chart.id },
      h("div", { class: "title" }, h("span", {}, chart.title), h("span", { class: "muted" }, last === null ? "–" : format(last, chart.unit))),
      root);
  }

  function lastValue(chart) {
    for (const s of chart.series) {
      for (let i = s.points.length - 1; i >= 0; i--) {
        if (s.points[i][1] !== null) {
          return s.points[i][1];
        }
      }
    }
    return null;
  }

  async function loadCharts(clusters) {
    chartsLoadedAt = Date.now();
    for (const c of clusters) {
      const area = document.querySelector('section[data-cluster="' + CSS.escape(c.name) + '"] .charts-area');
      if (!area) {
        continue;
      }
      const blocks = [];
      for (const m of c.members) {
        try {
          const data = await getJson("/api/charts?cluster=" + encodeURIComponent(c.name) + "&member=" + encodeURIComponent(m.name) + "&range=" + CHART_RANGE);
          blocks.push(h("h3", {}, "Member " + m.name + (m.leader === true ? " (leader)" : "")),
            h("div", { class: "charts", "data-member": m.name }, data.charts.map((ch) => drawChart(ch, data.from, data.to))));
        } catch (e) {
          blocks.push(h("p", { class: "error" }, "Charts of " + m.name + ": " + e.message));
        }
      }
      area.replaceChildren(...blocks);
    }
  }

  // ---- history ----

  function historyQuery() {
    const f = document.getElementById("history-filter");
    const p = new URLSearchParams();
    for (const name of ["cluster", "alertname", "state", "since"]) {
      const v = f.elements[name].value.trim();
      if (v) {
        p.set(name, v);
      }
    }
    return p.toString();
  }

  async function loadHistory() {
    const data = await getJson("/api/history?" + historyQuery());
    const body = document.querySelector("#history tbody");
    body.replaceChildren(...data.events.map((e) => h("tr", { "data-alert": e.alertname, "data-kind": e.kind },
      h("td", { title: e.at }, time(e.at)),
      h("td", {}, badge(e.kind)),
      h("td", {}, e.alertname),
      h("td", {}, e.severity),
      h("td", {}, e.cluster),
      h("td", {}, memberOf(e.labels)),
      h("td", {}, e.value),
      h("td", {}, e.annotations.summary || ""))));
    document.getElementById("no-history").hidden = data.events.length > 0;
  }

  function fillClusterFilter(clusters) {
    const select = document.querySelector('#history-filter select[name="cluster"]');
    const have = new Set(Array.from(select.options).map((o) => o.value));
    for (const c of clusters) {
      if (!have.has(c.name)) {
        select.append(h("option", { value: c.name }, c.name));
      }
    }
  }

  // ---- refresh loop ----

  async function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      overview = await getJson("/api/clusters");
      const reports = await getJson("/api/reports");
      dailyReports = new Map(reports.clusters.map((c) => [c.name, c.daily]));
      renderGlance(overview.clusters);
      renderAlerts(overview.clusters);
      renderClusters(overview.clusters);
      fillClusterFilter(overview.clusters);
      document.getElementById("updated").textContent = "updated " + time(overview.generatedAt);
      await loadHistory();
      if (Date.now() - chartsLoadedAt > CHART_REFRESH_MS) {
        await loadCharts(overview.clusters);
      }
    } catch (e) {
      document.getElementById("updated").textContent = "update failed: " + e.message;
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        setTimeout(refresh, 0);
      }
    }
  }

  function setLive(state, text) {
    const el = document.getElementById("live");
    el.setAttribute("data-live", state);
    el.textContent = text;
  }

  function listen() {
    if (!("EventSource" in window)) {
      setLive("polling", "polling");
      setInterval(refresh, POLL_MS);
      return;
    }
    const events = new EventSource("/api/events");
    events.addEventListener("hello", () => {
      setLive("live", "live");
      refresh();
    });
    events.addEventListener("state", refresh);
    events.addEventListener("alerts", refresh);
    events.addEventListener("error", () => setLive("reconnecting", "reconnecting…"));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("history-filter").addEventListener("change", () => {
      loadHistory().catch((e) => {
        document.getElementById("updated").textContent = "history failed: " + e.message;
      });
    });
    document.getElementById("history-filter").addEventListener("submit", (e) => e.preventDefault());
    refresh();
    listen();
  });
})();
