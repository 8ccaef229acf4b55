// A short-lived token fetched from one of the site's same-origin endpoints and kept until shortly before it expires
// (docs/web.md). session.js uses it for the signed-in user's access tokens (/session/token) and guest-token.js for
// guest tokens (/guest/token/{channelId}); both endpoints answer {accessToken, expiresAt}.

/** Ask again this long before the token expires (capped at half its remaining life for short test lifetimes). */
const RENEW_BEFORE_MS = 30_000;

/**
 * fetchToken: () => Promise<{accessToken, expiresAt}>. Returns { get, forget }: get() gives the cached token until
 * its renewal time, else one request that concurrent callers share; forget() drops the cache.
 */
export function createTokenCache(fetchToken) {
  let cached = null;   // { token, renewAt (ms) }
  let inFlight = null;
  const load = async () => {
    const body = await fetchToken();
    const now = Date.now();
    const expiresAt = Date.parse(body.expiresAt);
    cached = { token: body.accessToken, renewAt: expiresAt - Math.min(RENEW_BEFORE_MS, (expiresAt - now) / 2) };
    return cached.token;
  };
  return {
    get() {
      if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
      if (!inFlight) inFlight = load().finally(() => { inFlight = null; });
      return inFlight;
    },
    forget() { cached = null; },
  };
}
