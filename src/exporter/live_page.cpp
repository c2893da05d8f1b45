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
<h2>Power per GPU</h2><svg id="power" width="800" height="260"></svg><div class="legend" id="power-legend"></div>
<h2>Tokens per joule per model</h2><svg id="tpj" width="800" height="180"></svg><div class="legend" id="tpj-legend"></div>
<script>
"use strict";
const POLL_MS = {poll}, HISTORY_MS = {history} * 1000;
const CHARTS = {{
  power: {{unit: "W", empty: "No power reading yet: the exporter's first sampling round has not reached /metrics."}},
  tpj: {{unit: "tokens/J", empty: {tokens_empty}}}
}};
const PAD = {{left: 64, right: 12, top: 12, bottom: 34}};
const COLORS = ["#1f77b4","#d62728","#2ca02c","#ff7f0e","#9467bd","#8c564b","#e377c2","#17becf"];
const series = {{power: {{}}, tpj: {{}}}};
function labels(text) {{
  const out = {{}}; const re = /(\w+)="((?:[^"\\]|\\.)*)"/g; let m;
  while ((m = re.exec(text)) !== null) out[m[1]] = m[2];
  return out;
}}
function escapeHtml(text) {{
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
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
// Axes: the value axis in the chart's unit (0, half, top), time in seconds before now.
function axes(w, h, max, unit) {{
  const x0 = PAD.left, x1 = w - PAD.right, y0 = h - PAD.bottom, y1 = PAD.top;
  let out = `<line x1="${{x0}}" y1="${{y0}}" x2="${{x1}}" y2="${{y0}}" stroke="#555"/>` +
            `<line x1="${{x0}}" y1="${{y0}}" x2="${{x0}}" y2="${{y1}}" stroke="#555"/>`;
  for (const f of [0, 0.5, 1]) {{
    const y = y0 - f * (y0 - y1);
    out += `<line x1="${{x0 - 4}}" y1="${{y}}" x2="${{x1}}" y2="${{y}}" stroke="#ddd"/>` +
           `<text x="${{x0 - 6}}" y="${{y + 4}}" font-size="11" text-anchor="end">${{(f * max).toPrecision(3)}} ${{unit}}</text>`;
  }}
  const seconds = HISTORY_MS / 1000;
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {{
    const x = x0 + f * (x1 - x0);
    const label = f === 1 ? "now" : `-${{Math.round((1 - f) * seconds)}} s`;
    out += `<text x="${{x}}" y="${{y0 + 14}}" font-size="11" text-anchor="middle">${{label}}</text>`;
  }}
  out += `<text x="${{(x0 + x1) / 2}}" y="${{h - 4}}" font-size="11" text-anchor="middle">time (s before now)</text>`;
  return out;
}}
function draw(id, data, now) {{
  const chart = CHARTS[id];
  const svg = document.getElementById(id), w = svg.width.baseVal.value, h = svg.height.baseVal.value;
  let max = 0, points = 0;
  for (const k in data) for (const p of data[k]) {{ max = Math.max(max, p[1]); points++; }}
  max = max > 0 ? max * 1.1 : 1;
  let html = axes(w, h, max, chart.unit), legend = "", i = 0;
  const x0 = PAD.left, x1 = w - PAD.right, y0 = h - PAD.bottom, y1 = PAD.top;
  for (const k in data) {{
    const c = COLORS[i++ % COLORS.length];
    const pts = data[k].map(p => `${{(x0 + (x1 - x0) * (1 - (now - p[0]) / HISTORY_MS)).toFixed(1)}},${{(y0 - (y0 - y1) * p[1] / max).toFixed(1)}}`);
    html += `<polyline fill="none" stroke="${{c}}" stroke-width="2" points="${{pts.join(" ")}}"/>`;
    const last = data[k].length ? data[k][data[k].length - 1][1].toPrecision(4) + " " + chart.unit : "-";
    legend += `<span style="color:${{c}}">&#9632; ${{escapeHtml(k)}}: ${{last}}</span>`;
  }}
  if (points === 0)
    html += `<text class="empty" x="${{(x0 + x1) / 2}}" y="${{(y0 + y1) / 2}}" font-size="13" text-anchor="middle">${{escapeHtml(chart.empty)}}</text>`;
  svg.innerHTML = html;
  document.getElementById(id + "-legend").innerHTML = legend;
}}
async function poll() {{
  try {{
    const body = await (await fetch("/metrics", {{cache: "no-store"}})).text();
    const now = Date.now(); ingest(body, now); draw("power", series.power, now); draw("tpj", series.tpj, now);
  }} catch (e) {{ /* the exporter restarting: try again next tick */ }}
}}
draw("power", series.power, Date.now()); draw("tpj", series.tpj, Date.now());
poll(); setInterval(poll, POLL_MS);
</script></body></html>
)HTML";

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

// A JavaScript string literal of `text` (quotes, backslashes and '<' escaped, so that it
// cannot end the string or the script).
std::string js_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '<') {
      out += "\\u003c";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string tokens_chart_empty_reason(const std::vector<std::string>& token_source_urls) {
  if (token_source_urls.empty()) {
    return "No tokens/J: the exporter was started without --tokens-from URL (a serving "
           "engine's /metrics with a token counter), so it counts no tokens.";
  }
  std::string urls;
  for (const auto& url : token_source_urls) {
    if (!urls.empty()) urls += ", ";
    urls += url;
  }
  return "No tokens/J yet: waiting for two scrapes of " + urls +
         " with tokens generated between them (an idle model makes none).";
}

std::string live_page(const std::string& hostname, int poll_ms, int history_s,
                      const std::string& tokens_empty_reason) {
  return fmt::format(fmt::runtime(kTemplate), fmt::arg("host", html_escape(hostname)),
                     fmt::arg("poll", poll_ms), fmt::arg("history", history_s),
                     fmt::arg("tokens_empty", js_string(tokens_empty_reason)));
}

}  // namespace joulebench::exporter
