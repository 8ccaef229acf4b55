// Browser client of the live hub (/hubs/live) over the official @microsoft/signalr client (load
// lib/signalr/signalr.min.js first: it defines the global `signalR`). Same rules as the .NET LiveHubClient
// (docs/protocol.md): WebSockets only, negotiation skipped (no session affinity needed behind the proxy);
// per-room {epoch, seq} positions; every joined room resumed after a reconnect; duplicates dropped by envelope id;
// stale envelopes dropped by seq; a room that fell behind (room.gap, or an envelope that skips ahead) resumed from
// its last seq; recovered:false reported through onRoomReset.
//
// Single-threaded like every page script: callbacks run in server order on the connection's message handler, so
// keep them short. The browser cannot see the HTTP status of a refused WebSocket upgrade: when the token is bad,
// accessTokenFactory should throw (e.g. refresh failed), which stops the client instead of retrying forever.

const GAP_TYPE = 'room.gap';
// The one retryable join refusal (docs/errors.md): the room stays joined and is asked again.
const REDIS_UNAVAILABLE = 'redis_unavailable';

export const LiveState = Object.freeze({
  disconnected: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  stopped: 'stopped',
  revoked: 'revoked',
  unauthorized: 'unauthorized',
  closedByServer: 'closedByServer',
});

const terminal = new Set([LiveState.stopped, LiveState.revoked, LiveState.unauthorized, LiveState.closedByServer]);

/** The last `capacity` delivered ids, oldest forgotten first. */
class RecentIds {
  constructor(capacity) {
    this.capacity = capacity;
    this.set = new Set();
  }
  has(id) { return this.set.has(id); }
  add(id) {
    if (this.set.has(id)) return;
    this.set.add(id);
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.set.size > this.capacity) this.set.delete(this.set.values().next().value);
  }
}

/**
 * Creates a client. Options:
 * - hubUrl: the hub's address (http(s)://host/hubs/live); required.
 * - accessTokenFactory: () => token | Promise<token>, called before every (re)connect; the official client puts
 *   the token in the query string (browsers cannot set WebSocket headers); throw to give up (no valid session).
 * - onEvent(envelope), onRoomReset({room, epoch, seq}), onRoomRefused(room, code), onRevoked(reason),
 *   onReconnectRequested(reason),
 *   onError({code, message, retryAfterMs}), onStateChange(state), onReconnected(results): callbacks, all optional.
 * - reconnectBaseDelayMs (500), reconnectMaxDelayMs (30000), roomRetryDelayMs (1000: a room the server could not
 *   join for now, redis_unavailable, stays joined and is asked again after this), dedupeCapacity (10000),
 *   keepAliveIntervalMs (15000), serverTimeoutMs (30000), signalR (defaults to the global), logLevel.
 */
export function createLiveClient(options) {
  const signalR = options.signalR ?? globalThis.signalR;
  if (!signalR) throw new Error('live-client.js needs lib/signalr/signalr.min.js loaded first.');
  const baseDelay = options.reconnectBaseDelayMs ?? 500;
  const maxDelay = options.reconnectMaxDelayMs ?? 30000;
  const roomRetryDelay = options.roomRetryDelayMs ?? 1000;
  const rooms = new Map(); // room -> { position: {seq, epoch} | null, left, resumeInFlight }
  const delivered = new RecentIds(options.dedupeCapacity ?? 10000);
  const counters = {
    reconnects: 0, eventsDelivered: 0, duplicatesDropped: 0, staleDropped: 0,
    outOfOrderDropped: 0, gapResumes: 0, roomResets: 0,
  };
  let state = LiveState.disconnected;
  let restarting = false;
  let authFailed = false;
  let lastRttMs = null;
  let connectionQuality = null;

  const call = (name, ...args) => {
    const callback = options[name];
    if (!callback) return;
    try { callback(...args); } catch (e) { console.error(`live-client: ${name} threw`, e); }
  };
  const setState = (next) => {
    if (state === next || terminal.has(state)) return;
    state = next;
    call('onStateChange', next);
  };

  // Nominal base·2^(n-1), capped; the actual delay is drawn between half and all of it.
  const backoff = (attempt) => {
    const nominal = Math.min(maxDelay, baseDelay * 2 ** Math.min(attempt, 30));
    return nominal / 2 + Math.random() * nominal / 2;
  };

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(options.hubUrl, {
      skipNegotiation: true,
      transport: signalR.HttpTransportType.WebSockets,
      accessTokenFactory: async () => {
        if (!options.accessTokenFactory) return '';
        try {
          return await options.accessTokenFactory();
        } catch (e) {
          authFailed = true;
          throw e;
        }
      },
    })
    .withAutomaticReconnect({
      // Never give up on a lost connection, except when no token can be had.
      nextRetryDelayInMilliseconds: (context) => (authFailed ? null : backoff(context.previousRetryCount)),
    })
    .configureLogging(options.logLevel ?? signalR.LogLevel.Warning)
    .build();
  connection.keepAliveIntervalInMilliseconds = options.keepAliveIntervalMs ?? 15000;
  connection.serverTimeoutInMilliseconds = options.serverTimeoutMs ?? 30000;

  const roomOf = (name) => {
    let room = rooms.get(name);
    if (!room) {
      room = { position: null, left: false, resumeInFlight: false };
      rooms.set(name, room);
    }
    return room;
  };

  const startResume = (room) => {
    if (room.resumeInFlight) return false;
    room.resumeInFlight = true;
    return true;
  };

  // The rules of RoomTracker.cs: a position moves only by delivered envelopes, one seq at a time.
  const onEnvelope = (envelope) => {
    if (delivered.has(envelope.id)) { counters.duplicatesDropped++; return; }
    const room = roomOf(envelope.room); // rooms the server put us in (our user room) are tracked too
    if (room.left) return;
    if (envelope.type === GAP_TYPE) {
      delivered.add(envelope.id);
      if (startResume(room)) resumeBehind(envelope.room);
      return;
    }
    if (envelope.seq === 0) {
      // Ephemeral (dm.typing): not part of the room's order; delivered once, the position untouched.
      delivered.add(envelope.id);
      counters.eventsDelivered++;
      call('onEvent', envelope);
      return;
    }
    const position = room.position;
    if (position) {
      if (envelope.epoch === position.epoch && envelope.seq <= position.seq) { counters.staleDropped++; return; }
      if (envelope.epoch !== position.epoch || envelope.seq !== position.seq + 1) {
        // Skipped ahead or another epoch: drop it and resume; the replay brings the missing ones, then this one.
        counters.outOfOrderDropped++;
        if (startResume(room)) resumeBehind(envelope.room);
        return;
      }
    }
    room.position = { seq: envelope.seq, epoch: envelope.epoch };
    delivered.add(envelope.id);
    counters.eventsDelivered++;
    call('onEvent', envelope);
  };

  const applyResult = (name, result) => {
    const room = rooms.get(name);
    if (!room) return;
    room.resumeInFlight = false;
    if (result.error) {
      if (result.error === REDIS_UNAVAILABLE && !room.left) {
        // Retryable (RoomTracker.cs): the room stays joined at its position and is asked again after a back-off.
        room.resumeInFlight = true;
        setTimeout(() => {
          if (room.left || terminal.has(state)) return;
          resume({ [name]: room.position ?? null }).catch((e) => console.warn('live-client: resume failed', e));
        }, roomRetryDelay);
        return;
      }
      room.left = true;
      call('onRoomRefused', name, result.error);
      return;
    }
    const epoch = result.epoch ?? '';
    const current = room.position;
    if (result.recovered) {
      // The replay (before or right after this answer) moves the position; a room without one starts here.
      if (!current || current.epoch !== epoch) room.position = { seq: result.seq, epoch };
      return;
    }
    if (!(current && current.epoch === epoch && current.seq >= result.seq)) room.position = { seq: result.seq, epoch };
    counters.roomResets++;
    call('onRoomReset', { room: name, epoch, seq: room.position.seq });
  };

  const resume = async (request) => {
    const names = Object.keys(request);
    let results;
    try {
      results = await connection.invoke('Resume', request);
    } finally {
      for (const name of names) {
        const room = rooms.get(name);
        if (room && !(results && name in results)) room.resumeInFlight = false;
      }
    }
    for (const [name, result] of Object.entries(results ?? {})) applyResult(name, result);
    return results;
  };

  const resumeBehind = (name) => {
    counters.gapResumes++;
    const room = rooms.get(name);
    resume({ [name]: room?.position ?? null }).catch((e) => console.warn('live-client: resume failed', e));
  };

  const joinedRequest = () => {
    const request = {};
    for (const [name, room] of rooms) {
      if (room.left) continue;
      room.resumeInFlight = true;
      request[name] = room.position;
    }
    return request;
  };

  const resumeJoined = async () => {
    const request = joinedRequest();
    let results = {};
    if (Object.keys(request).length > 0) {
      try {
        results = await resume(request);
      } catch (e) {
        console.warn('live-client: resume after reconnect failed', e);
        return;
      }
    }
    call('onReconnected', results);
  };

  // Connects until it works (backoff with jitter), for the server's Reconnect request: stop, then start again.
  const startWithRetry = async (first) => {
    for (let attempt = 0; ; attempt++) {
      if (terminal.has(state)) return false;
      const delay = attempt === 0 ? (first ? 0 : Math.random() * baseDelay) : backoff(attempt);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        await connection.start();
        return true;
      } catch (e) {
        if (authFailed) {
          setState(LiveState.unauthorized);
          return false;
        }
        if (first) throw e;
      }
    }
  };

  connection.on('Events', (envelopes) => { for (const envelope of envelopes) onEnvelope(envelope); });
  connection.on('Reconnect', async (reason) => {
    if (restarting || terminal.has(state)) return;
    restarting = true;
    setState(LiveState.reconnecting);
    call('onReconnectRequested', reason);
    try {
      await connection.stop();
      if (await startWithRetry(false)) {
        counters.reconnects++;
        setState(LiveState.connected);
        await resumeJoined();
      }
    } finally {
      restarting = false;
    }
  });
  connection.on('Revoked', (reason) => {
    setState(LiveState.revoked);
    call('onRevoked', reason);
    connection.stop();
  });
  // Heartbeat: answer at once (the server measures the round trip), keep the quality it reported last time.
  connection.on('Heartbeat', (serverTs, rttMs, quality) => {
    connection.send('HeartbeatAck', serverTs).catch(() => {});
    if (rttMs !== null && rttMs !== undefined) { lastRttMs = rttMs; connectionQuality = quality; call('onQuality', { rttMs, quality }); }
  });
  connection.on('Error', (code, message, retryAfterMs) => call('onError', { code, message, retryAfterMs }));
  connection.onreconnecting(() => setState(LiveState.reconnecting));
  connection.onreconnected(async () => {
    counters.reconnects++;
    setState(LiveState.connected);
    await resumeJoined();
  });
  connection.onclose(() => {
    if (restarting) return; // our own stop for a Reconnect request
    setState(authFailed ? LiveState.unauthorized : LiveState.closedByServer);
  });

  return {
    get state() { return state; },
    /** Round-trip time the server last measured (ms) and its rating: good, fair or poor (null until measured). */
    get lastRttMs() { return lastRttMs; },
    get connectionQuality() { return connectionQuality; },
    counters,
    /** Opens the connection; rejects when the first attempt fails (nothing is retried then). */
    async start() {
      setState(LiveState.connecting);
      try {
        await startWithRetry(true);
      } catch (e) {
        state = authFailed ? LiveState.unauthorized : LiveState.disconnected;
        throw e;
      }
      setState(LiveState.connected);
    },
    /** Joins rooms through Resume, each from its tracked position (live only for a room never seen). */
    join(names) {
      const request = {};
      for (const name of names) {
        const room = roomOf(name);
        room.left = false;
        room.resumeInFlight = true;
        request[name] = room.position;
      }
      return resume(request);
    },
    /** Joins rooms from given positions ({room: {seq, epoch} | null}), e.g. kept in sessionStorage. */
    joinFrom(positions) {
      for (const [name, position] of Object.entries(positions)) {
        const room = roomOf(name);
        room.left = false;
        room.resumeInFlight = true;
        room.position = position;
      }
      return resume(positions);
    },
    /** Joins stream:{streamId} through JoinStream, from its tracked position. */
    async joinStream(streamId) {
      const name = `stream:${streamId}`;
      const room = roomOf(name);
      room.left = false;
      room.resumeInFlight = true;
      let result;
      try {
        result = await connection.invoke('JoinStream', streamId, room.position?.seq ?? null, room.position?.epoch ?? null);
      } catch (e) {
        room.resumeInFlight = false;
        throw e;
      }
      applyResult(name, result);
      return result;
    },
    /** Leaves a room; it is not resumed after reconnects. */
    async leave(name) {
      const room = rooms.get(name);
      if (room) { room.left = true; room.resumeInFlight = false; }
      await connection.invoke('Leave', name);
    },
    ping() { return connection.invoke('Ping'); },
    /** Calls a hub method (SendChat...) on the current connection; rejects with the server's error. */
    invoke(method, ...args) { return connection.invoke(method, ...args); },
    /** A copy of every joined room's position. */
    positions() {
      const result = {};
      for (const [name, room] of rooms) if (!room.left) result[name] = room.position && { ...room.position };
      return result;
    },
    async stop() {
      setState(LiveState.stopped);
      await connection.stop();
    },
  };
}
