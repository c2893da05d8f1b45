#include "exporter/live_page.hpp"

#include <fmt/format.h>


namespace joulebench::exporter {
namespace {

// The JS parses only the two families it draws; a label set is read with a small regex
// because the page has no dependencies to lean on.
constexpr const char* kTemplate = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>joulebench exporter: {host}</title>
<style>
body{{font-family:sans-serif;margin:1.5em;color:#222}} h1{{font-size:1.2em}}
svg{{border:1px solid #ccc;background:#fafafa}} .legend span{{margin-right:1em}}
</style></head><body>
<h1>joulebench exporter on {host}</h1>
<p>Power per GPU (W) and tokens per joule, last {history} s; polled every {poll} ms from
<a href="/metrics">/metrics</a>. Health: <a href="/healthz">/healthz</a>.</p>
<h2>Power (W)</h2><svg id="power" width="800" height="240"></svg><div class="legend" id="power-legend"></div>
<h2>Tokens per joule</h2><svg id="tpj" width="800" height="160"></svg><div class="legend" id="tpj-legend"></div>
<script>
"use strict";
const POLL_MS = {poll}, HISTORY_MS = {history} * 1000;
const COLORS = ["#1f77b4","#d62728","#2ca02c","#ff7f0e","#9467bd","#8c564b","#e377c2","#17becf"];
const series = {{power: {{}}, tpj: {{}}}};
function labels(text) {{
  const out = {{}}; const re = /(\w+)="((?:[^"\\]|\\.)*)"/g; let m;
  while ((m = re.exec(text)) !== null) out[m[1]] = m[2];
  return out;
}}
function ingest(body, now) {{
  for (const line of body.split("\n")) {{
    const m = /^(joulebench_gpu_power_watts|joulebench_tokens_per_joule)\{{([^}}]*)\}} (\S+)/.exec(line);
    if (!m) continue;
    const l = labels(m[2]);
    const kind = m[1] === "joulebench_gpu_power_watts" ? "power" : "tpj";
    const key = kind === "power" ? "gpu " + l.gpu + " " + (l.name || "") : l.model;
    (series[kind][key] = series[kind][key] || []).push([now, parseFloat(m[3])]);
  }}
  for (const kind of ["power", "tpj"])
    for (const key in series[kind])
      series[kind][key] = series[kind][key].filter(p => now - p[0] <= HISTORY_MS);
}}
function draw(id, data, now) {{
  const svg = document.getElementById(id), w = svg.width.baseVal.value, h = svg.height.baseVal.value;
  let max = 0; for (const k in data) for (const p of data[k]) max = Math.max(max, p[1]);
  max = max > 0 ? max * 1.1 : 1;
  let html = `<text x="4" y="14" font-size="12">${{max.toPrecision(3)}}</text>`, legend = "", i = 0;
  for (const k in data) {{
    const c = COLORS[i++ % COLORS.length];
    const pts = data[k].map(p => `${{(w * (1 - (now - p[0]) / HISTORY_MS)).toFixed(1)}},${{(h - h * p[1] / max).toFixed(1)}}`);
    html += `<polyline fill="none" stroke="${{c}}" stroke-width="2" points="${{pts.join(" ")}}"/>`;
    const last = data[k].length ? data[k][data[k].length - 1][1].toPrecision(4) : "-";
    legend += `<span style="color:${{c}}">&#9632; ${{k.replace(/</g, "&lt;")}}: ${{last}}</span>`;
  }}
  svg.innerHTML = html;
  document.getElementById(id + "-legend").innerHTML = legend;
}}
async function poll() {{
  try {{
    const body = await (await fetch("/metrics", {{cache: "no-store"}})).text();
    const now = Date.now(); ingest(body, now); draw("power", series.power, now); draw("tpj", series.tpj, now);
  }} catch (e) {{ /* the exporter restarting: try again next tick */ }}
}}
poll(); setInterval(poll, POLL_MS);
</script></body></html>
)HTML";

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string live_page(const std::string& hostname, int poll_ms, int history_s) {
  return fmt::format(fmt::runtime(kTemplate), fmt::arg("host", html_escape(hostname)),
                     fmt::arg("poll", poll_ms), fmt::arg("history", history_s));
}

}  // namespace joulebench::exporter
