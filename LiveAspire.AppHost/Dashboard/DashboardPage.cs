namespace LiveAspire.AppHost.Dashboard;

/// <summary>The dashboard page: plain HTML and a little script that polls the JSON endpoints every second.</summary>
internal static class DashboardPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>LiveAspire dashboard</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; background: #0f1115; color: #e6e6e6; }
  header { padding: 12px 20px; background: #171a21; border-bottom: 1px solid #2a2f3a; }
  h1 { font-size: 18px; margin: 0; } h1 span { color: #9aa4b2; font-weight: normal; font-size: 13px; margin-left: 8px; }
  main { padding: 16px 20px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #232833; vertical-align: top; }
  th { color: #9aa4b2; font-weight: 600; }
  .Healthy { color: #3fb950; } .Unhealthy { color: #f85149; } .Unknown { color: #9aa4b2; }
  .Failed { color: #f85149; } .Restarting, .Starting, .Waiting { color: #d29922; }
  a { color: #58a6ff; cursor: pointer; text-decoration: none; }
  .problem { color: #f0883e; font-size: 12px; }
  #log { margin-top: 16px; } #log h2 { font-size: 15px; }
  pre { background: #090b0f; border: 1px solid #232833; padding: 10px; height: 420px; overflow: auto; font-size: 12px; white-space: pre-wrap; }
  .stderr { color: #ffa198; } .apphost { color: #d2a8ff; }
</style>
</head>
<body>
<header><h1>LiveAspire <span id="meta"></span></h1></header>
<main>
<table>
  <thead><tr><th>Resource</th><th>Kind</th><th>State</th><th>Health</th><th>Endpoints</th><th>Replica</th><th>PID</th><th>Restarts</th><th>Logs</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<section id="log" hidden><h2 id="logtitle"></h2><pre id="logtext"></pre></section>
</main>
<script>
const rows = document.getElementById('rows');
let tail = null, after = 0;
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function refresh() {
  const data = await (await fetch('/api/resources')).json();
  document.getElementById('meta').textContent = 'state: ' + data.stateDirectory;
  let html = '';
  for (const r of data.resources) {
    const endpoints = r.endpoints.map(e => `${esc(e.url)}${e.proxied ? ' (proxy)' : ''}${e.external ? ' ↗' : ''}`).join('<br>');
    const replicas = r.replicas.length ? r.replicas : [{ id: '', pid: null, restarts: 0 }];
    replicas.forEach((p, i) => {
      html += '<tr>' + (i === 0
        ? `<td rowspan="${replicas.length}"><b>${esc(r.name)}</b>${r.problem ? `<div class="problem">${esc(r.problem)}</div>` : ''}</td>
           <td rowspan="${replicas.length}">${esc(r.kind)}</td>
           <td rowspan="${replicas.length}" class="${esc(r.state)}">${esc(r.state)}</td>
           <td rowspan="${replicas.length}" class="${esc(r.health)}">${esc(r.health)}</td>
           <td rowspan="${replicas.length}">${endpoints}</td>` : '')
        + `<td>${esc(p.id)}${p.url && r.replicas.length > 1 ? '<br><small>' + esc(p.url) + '</small>' : ''}
           ${p.state && r.replicas.length > 1 ? `<br><small class="${esc(p.health)}">${esc(p.state)}/${esc(p.health)}</small>` : ''}</td>
           <td>${esc(p.pid ?? '-')}</td><td>${esc(p.restarts)}</td>
           <td>${p.id ? `<a data-id="${esc(p.id)}">tail</a>` : ''}</td></tr>`;
    });
  }
  rows.innerHTML = html;
  for (const a of rows.querySelectorAll('a[data-id]')) a.onclick = () => openTail(a.dataset.id);
}
function openTail(id) {
  tail = id; after = 0;
  document.getElementById('log').hidden = false;
  document.getElementById('logtitle').textContent = 'Log: ' + id;
  document.getElementById('logtext').innerHTML = '';
  pollTail();
}
async function pollTail() {
  if (!tail) return;
  const id = tail;
  const lines = await (await fetch(`/api/logs/${encodeURIComponent(id)}?after=${after}`)).json();
  if (id !== tail) return;
  const pre = document.getElementById('logtext');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 5;
  for (const l of lines) {
    after = l.seq;
    pre.insertAdjacentHTML('beforeend', `<span class="${esc(l.stream)}">${esc(l.text)}</span>\n`);
  }
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}
setInterval(() => { refresh().catch(() => {}); pollTail().catch(() => {}); }, 1000);
refresh();
</script>
</body>
</html>
""";
}
