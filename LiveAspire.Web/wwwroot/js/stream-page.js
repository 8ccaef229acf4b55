// The stream page's live behaviour (docs/web.md, "The stream page"). The server rendered the channel as it was;
// this module connects straight to the Realtime hub with live-client.js (as the signed-in user, or as a guest), joins
// stream:{channelId} and keeps the page current: stream.updated (title, category), stream.started / stream.ended
// (live or offline), presence.count (open connections in the room, guests included). It also runs the connection
// indicator and the follow button. It writes data with textContent only, never as HTML.
//
// For tests and curious operators it records what happened on window.streamPage: the indicator's states in order
// (also on the indicator's data-states) and the seq of every stream-room event it applied.

import { createLiveClient, LiveState } from './live-client.js';
import { getAccessToken, realtimeUrl, SessionEndedError } from './session.js';
import { guestTokenFactory, GuestRefusedError } from './guest-token.js';
import { createPlayer } from './player.js';
import { createChatPanel } from './chat-panel.js';

function startPage(root) {
  const $ = (id) => document.getElementById(id);
  const channelId = root.dataset.channelId;
  const room = `stream:${channelId}`;
  const record = { states: [], seqs: [], events: 0 };
  window.streamPage = record;

  const announce = createAnnouncer($('announcer'));
  const player = $('player') ? createPlayer($('player')) : { setLive() {} }; // the pop-out chat has no player
  const indicator = createIndicator($('connection'), $('connection-text'), $('connection-quality'), record, announce);
  let isLive = root.dataset.live === 'true';
  let changes = 0; // stream events applied; a state read that raced one of them is dropped

  const setText = (element, text) => { if (element && element.textContent !== text) element.textContent = text; };
  const showTitle = (title) => setText($('stream-title'), title ? title : 'Untitled stream');
  const showCategory = (category) => setText($('stream-category'), category ? category : 'None');
  const showLive = (live) => {
    isLive = live;
    root.dataset.live = live ? 'true' : 'false';
    const badge = $('live-badge');
    setText(badge, live ? 'Live' : 'Offline');
    badge?.classList.toggle('offline', !live);
    const canvas = $('player');
    if (canvas) canvas.hidden = !live;
    const card = $('offline-card');
    if (card) card.hidden = live;
    player.setLive(live);
  };
  showLive(isLive);

  // The chat panel (chat-panel.js): it sends through this page's connection.
  let client = null;
  const chatRoot = $('chat');
  const chat = chatRoot
    ? createChatPanel(chatRoot, { invoke: (...args) => client.invoke(...args), announce, record })
    : { onEvent() {}, system() {}, load: async () => {}, reload: async () => {} };

  const onEvent = (envelope) => {
    if (envelope.room !== room) return;
    const data = envelope.data ?? {};
    if (envelope.seq > 0) record.seqs.push(envelope.seq);
    record.events++;
    switch (envelope.type) {
      case 'stream.updated':
        changes++;
        showTitle(data.title);
        showCategory(data.category);
        announce(`New title: ${data.title || 'Untitled stream'}`);
        break;
      case 'stream.started':
        changes++;
        showTitle(data.title);
        showCategory(data.category);
        showLive(true);
        announce('The stream is live.');
        chat.system(data.title ? `The stream is live: ${data.title}` : 'The stream is live.');
        break;
      case 'stream.ended':
        changes++;
        showLive(false);
        announce('The stream ended.');
        chat.system('The stream ended.');
        break;
      case 'chat.message':
        chat.onEvent(envelope);
        break;
      case 'presence.count':
        showViewers(data.connections);
        break;
      case 'system.announcement':
        showAnnouncement(envelope.id, data.text);
        break;
      default:
        break; // later events have their own panels
    }
  };

  // An announcement from the platform's administrators: shown once per envelope id (a resume never repeats one,
  // and a retried publish keeps its id), newest first, and read out.
  const announcements = $('announcements');
  record.announcements = [];
  const showAnnouncement = (id, text) => {
    if (!announcements || typeof text !== 'string' || record.announcements.includes(id)) return;
    record.announcements.push(id);
    const item = document.createElement('li');
    item.className = 'announcement';
    item.dataset.id = id;
    item.textContent = text;
    announcements.prepend(item);
    announcements.hidden = false;
    announce(`Announcement: ${text}`);
  };

  const showViewers = (connections) => {
    if (typeof connections !== 'number') return;
    setText($('viewer-count'), connections.toLocaleString());
  };

  // After joining from no position, and after a reset, events may have been missed: read the current state once.
  const refreshState = async () => {
    const seen = changes;
    try {
      const response = await fetch(root.dataset.stateUrl, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const state = await response.json();
      if (changes !== seen) return; // an event arrived meanwhile: it is newer than this read
      showTitle(state.title);
      showCategory(state.category);
      if (state.isLive !== isLive) showLive(state.isLive);
    } catch (e) {
      console.warn('stream-page: state read failed', e);
    }
  };

  const guest = root.dataset.watch === 'guest';
  let refusal = null; // why no token could be had: words for the indicator
  const tokens = guest ? guestTokenFactory(channelId) : getAccessToken;
  const accessTokenFactory = async () => {
    try {
      return await tokens();
    } catch (e) {
      if (e instanceof GuestRefusedError) refusal = 'This channel no longer admits guests. Sign in to keep watching.';
      else if (e instanceof SessionEndedError) refusal = 'You were signed out. Sign in again to keep watching.';
      else throw new TransientTokenError(e);
      throw e;
    }
  };

  client = createLiveClient({
    hubUrl: `${realtimeUrl()}/hubs/live`,
    accessTokenFactory: async () => {
      try {
        return await accessTokenFactory();
      } catch (e) {
        // A passing failure (429, 503, network) must not stop the client for good: live-client gives up when the
        // factory throws. Wait and try once more within this attempt; the connection's own back-off does the rest.
        if (e instanceof TransientTokenError) {
          await delay(2000);
          return accessTokenFactory().catch((again) => { throw again instanceof TransientTokenError ? again.cause : again; });
        }
        throw e;
      }
    },
    onEvent,
    onStateChange: (state) => {
      switch (state) {
        case LiveState.connecting: indicator.set('connecting'); break;
        case LiveState.connected: indicator.set('connected'); break;
        case LiveState.reconnecting: indicator.set('reconnecting'); break;
        case LiveState.unauthorized: indicator.set('offline', refusal ?? 'Cannot sign in to live updates. Reload the page.'); break;
        case LiveState.revoked: break; // onRevoked says why
        default: indicator.set('offline'); break;
      }
    },
    onReconnected: (results) => {
      const result = results?.[room];
      if (result && !result.error && result.recovered) {
        indicator.set('recovered');
      } else {
        indicator.set('reset');
        refreshState();
        chat.reload(); // what was missed cannot be replayed: read the chat again
      }
    },
    onRoomReset: ({ room: name }) => {
      // The room started over (its state was lost): what it held before cannot be replayed, so say so and read again.
      if (name === room) { indicator.set('reset'); refreshState(); chat.reload(); }
    },
    onRoomRefused: (name, code) => {
      if (name === room) indicator.set('offline', `Live updates refused (${code}). Reload the page.`);
    },
    onRevoked: (reason) => indicator.set('offline', reason === 'guests_not_allowed'
      ? 'This channel no longer admits guests. Sign in to keep watching.'
      : 'The server ended this connection. Reload the page to continue.'),
    onQuality: ({ rttMs, quality }) => indicator.quality(rttMs, quality),
  });
  window.streamPage.client = client;

  (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.start();
        break;
      } catch (e) {
        if (client.state === LiveState.unauthorized) return;
        indicator.set('offline', 'Cannot reach live updates. Trying again…');
        await delay(Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
    try {
      const results = await client.join([room]);
      if (results?.[room]?.error) return; // onRoomRefused said so
      await Promise.all([refreshState(), chat.load()]);
    } catch (e) {
      console.warn('stream-page: join failed', e); // the reconnect path resumes the room
    }
  })();

  setUpFollow($('follow-button'), $('follow-status'), channelId, announce);
}

class TransientTokenError extends Error {
  constructor(cause) {
    super(cause?.message ?? 'token unavailable');
    this.cause = cause;
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One polite live region. Messages within a second are said together, so a burst of changes is one announcement
 * and a screen reader is not interrupted for each.
 */
function createAnnouncer(region) {
  let pending = [];
  let timer = 0;
  return (message) => {
    if (!region) return;
    pending.push(message);
    if (timer) return;
    timer = setTimeout(() => {
      region.textContent = pending.join(' ');
      pending = [];
      timer = 0;
    }, 1000);
  };
}

const STATE_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
  recovered: 'Connected again, nothing missed',
  reset: 'Connected again, page refreshed',
  offline: 'Offline',
};

/**
 * The connection indicator: connecting, connected, reconnecting, recovered (reconnected and every missed event
 * replayed), reset (reconnected, but the server could not replay: the page re-read the state) or offline, with the
 * round-trip time the server measured from its heartbeats. Every state it shows is appended to data-states.
 */
function createIndicator(element, text, qualityText, record, announce) {
  let current = element?.dataset.state ?? 'connecting';
  return {
    set(state, words) {
      record.states.push(state);
      if (!element) return;
      element.dataset.states = record.states.join(' ');
      element.dataset.state = state;
      text.textContent = words ?? STATE_TEXT[state];
      if (state === 'offline' || state === 'reconnecting') qualityText.textContent = '';
      // Heard only when it matters: losing the connection, and getting it back.
      if (state !== current && (state === 'reconnecting' || state === 'offline' || state === 'recovered' || state === 'reset')) {
        announce(text.textContent);
      }
      current = state;
    },
    quality(rttMs, quality) {
      if (!element) return;
      element.dataset.rttMs = String(rttMs);
      element.dataset.quality = quality ?? '';
      qualityText.textContent = `· ${Math.round(rttMs)} ms round trip${quality ? ` (${quality})` : ''}`;
    },
  };
}

/** The follow button (signed-in viewers): POST / DELETE /session/follows/{channelId}, then the new state in words. */
function setUpFollow(button, status, channelId, announce) {
  if (!button) return;
  const label = button.querySelector('.visually-hidden')?.textContent ?? '';
  const show = (following) => {
    button.dataset.following = following ? 'true' : 'false';
    button.textContent = following ? 'Unfollow' : 'Follow';
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = label;
    button.append(hidden);
    status.textContent = following ? 'You follow this channel.' : '';
  };
  button.addEventListener('click', async () => {
    const following = button.dataset.following === 'true';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(`/session/follows/${encodeURIComponent(channelId)}`, {
        method: following ? 'DELETE' : 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '', 'Accept': 'application/json' },
      });
      if (response.ok) {
        show(!following);
        announce(following ? 'You no longer follow this channel.' : 'You follow this channel.');
      } else {
        const body = await response.json().catch(() => ({}));
        status.textContent = response.status === 401
          ? 'You were signed out. Sign in again to follow.'
          : `That did not work: ${body.message || `the site answered ${response.status}`}. Please try again.`;
      }
    } catch {
      status.textContent = 'That did not work: the site cannot be reached. Please try again.';
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.focus();
    }
  });
}

// Last, so every declaration above is initialised before the page starts (module code runs top to bottom).
const root = document.getElementById('stream-page');
if (root && root.dataset.watch !== 'refused') {
  startPage(root);
}
