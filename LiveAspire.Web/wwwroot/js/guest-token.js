// Guest tokens for an anonymous viewer of one channel (docs/web.md, "The stream page"; docs/realtime.md, "Guests").
// The page asks its own site (POST /guest/token/{channelId}, same origin, antiforgery header), which asks Api
// server-side with the browser's address: Api's per-address guest-token limit counts this visitor. A guest token has
// no refresh token: a new one is asked for before the cached one expires, at the next (re)connect.

import { createTokenCache } from './token-cache.js';

/** The channel does not admit guests (any more), or no longer exists: `code` is Api's (guests_not_allowed, channel_not_found). */
export class GuestRefusedError extends Error {
  constructor(code, message) {
    super(message || 'This channel does not admit guests.');
    this.name = 'GuestRefusedError';
    this.code = code;
  }
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

/** A token factory for live-client.js's accessTokenFactory: rejects with GuestRefusedError when refused for good. */
export function guestTokenFactory(channelId) {
  const cache = createTokenCache(async () => {
    const response = await fetch(`/guest/token/${encodeURIComponent(channelId)}`, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'X-CSRF-TOKEN': csrfToken(), 'Accept': 'application/json' },
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 403 || response.status === 404) {
      throw new GuestRefusedError(body.code, body.message);
    }
    if (!response.ok) {
      // 429 (this address asked too often) and 503 are passing: the client's back-off asks again later.
      throw new Error(body.message || `The site answered ${response.status} for a guest token.`);
    }
    return body;
  });
  return () => cache.get();
}
