// The performer's dashboard (docs/web.md, "The dashboard"): the live viewer count. The page itself is static and its
// forms post back to the server; this module only connects to the Realtime hub as the signed-in performer, joins
// stream:{channelId} and shows presence.count's connections (this dashboard's own connection included). It writes
// with textContent only. window.dashboard records the counts it showed, for tests.

import { createLiveClient, LiveState } from './live-client.js';
import { getAccessToken, realtimeUrl } from './session.js';

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function start(root) {
  const room = `stream:${root.dataset.channelId}`;
  const viewers = document.getElementById('dashboard-viewers');
  const record = { counts: [], state: 'connecting' };
  window.dashboard = record;

  const client = createLiveClient({
    hubUrl: `${realtimeUrl()}/hubs/live`,
    accessTokenFactory: getAccessToken,
    onEvent: (envelope) => {
      if (envelope.room !== room || envelope.type !== 'presence.count') return;
      const connections = envelope.data?.connections;
      if (typeof connections !== 'number') return;
      record.counts.push(connections);
      viewers.textContent = connections.toLocaleString();
    },
    onStateChange: (state) => {
      record.state = state;
      if (state !== LiveState.connected) viewers.textContent = '–';
    },
  });
  record.client = client;

  (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.start();
        break;
      } catch (e) {
        if (client.state === LiveState.unauthorized) return;
        await delay(Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
    try {
      await client.join([room]); // a reconnect resumes the room by itself
    } catch (e) {
      console.warn('dashboard: join failed', e);
    }
  })();
}

const root = document.getElementById('dashboard');
if (root) start(root);
