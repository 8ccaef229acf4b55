// The home page's viewer counts (docs/web.md, "Pages"): a snapshot from /home/viewers every 15 s, written into each
// live channel's card with textContent. Only the stream page follows a count live: joining every stream room here
// would pull in all their chat. Nothing is asked while the tab is hidden.

const REFRESH_MS = 15000;
const cards = () => document.querySelectorAll('.channel-card[data-channel-id]');
const format = (count) => (typeof count === 'number' ? count.toLocaleString() : '–');

async function refresh() {
  if (document.hidden) return;
  try {
    const response = await fetch('/home/viewers', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) return; // keep the last counts; the next round tries again
    const counts = await response.json();
    for (const card of cards()) {
      const id = card.dataset.channelId;
      if (!(id in counts)) continue; // not on this snapshot's page: keep what the page rendered
      const element = card.querySelector('.viewer-count');
      const text = format(counts[id]);
      if (element && element.textContent !== text) element.textContent = text;
    }
    window.homeViewers = { refreshed: (window.homeViewers?.refreshed ?? 0) + 1 };
  } catch (e) {
    console.warn('home: viewer counts not refreshed', e);
  }
}

setInterval(refresh, REFRESH_MS);
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
