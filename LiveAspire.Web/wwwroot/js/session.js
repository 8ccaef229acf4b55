// The signed-in user's access token for the page's scripts (docs/web.md). The browser never holds the refresh
// token: Web keeps it server-side and hands out short-lived access tokens from POST /session/token, a same-origin
// endpoint that requires the page's antiforgery token. Pass getAccessToken as live-client.js's accessTokenFactory.
// When to ask again, and sharing one request among concurrent callers, is token-cache.js's rule (guest tokens use it
// too).

import { createTokenCache } from './token-cache.js';

/** The session ended (Api refused its refresh) or nobody is signed in: `code` is `session_ended` or `unauthenticated`. */
export class SessionEndedError extends Error {
  constructor(code, message) {
    super(message || 'You are signed out.');
    this.name = 'SessionEndedError';
    this.code = code;
  }
}

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
}

/** The signed-in user as the page was rendered for ({ id, name }), or null. */
export function currentUser() {
  const id = meta('liveaspire-user-id');
  return id ? { id, name: meta('liveaspire-user-name') } : null;
}

/** Realtime's base address (the hub is /hubs/live under it). */
export function realtimeUrl() {
  return meta('liveaspire-realtime');
}

const cache = createTokenCache(async () => {
  const response = await fetch('/session/token', {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'X-CSRF-TOKEN': meta('csrf-token'), 'Accept': 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    cache.forget();
    throw new SessionEndedError(body.code || 'unauthenticated', body.message);
  }
  if (!response.ok) {
    throw new Error(body.message || `The site answered ${response.status} for an access token.`);
  }
  return body;
});

/** Forgets the cached token, so the next getAccessToken asks the server (e.g. after the hub refused it). */
export function forgetAccessToken() {
  cache.forget();
}

/**
 * A valid access token: the cached one until shortly before it expires, else a new one from the server. One request
 * at a time however many callers ask at once. Rejects with SessionEndedError when nobody is signed in any more.
 */
export function getAccessToken() {
  return cache.get();
}
