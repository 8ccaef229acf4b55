// The chat panel (docs/web.md, "The chat panel", and docs/chat.md): the stream page's chat, and the pop-out's. It shows
// chat.message events as the server parsed them (fragments: text, emote, emoji, mention, link), with badges and
// reply quotes, fills the log from history when the page opens and again after a resume that could not replay
// (recovered:false), and sends with the hub's SendChat. Everything is built with text nodes and attributes, never
// with innerHTML: a user's text can never become markup here.
//
// For tests it records on window.streamPage.chat: the message ids in the order shown, each send's answer, and each
// error shown.

const MAX_MESSAGES = 300;
const MAX_LENGTH = 500;
const NEAR_BOTTOM_PX = 48;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BADGES = {
  admin: 'Admin',
  performer: 'Performer',
  moderator: 'Moderator',
  subscriber_1: 'Subscriber',
  subscriber_2: 'Subscriber (tier 2)',
  subscriber_3: 'Subscriber (tier 3)',
};

const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** User-perceived characters, as the server counts them (extended grapheme clusters), after its space rule. */
export function chatLength(text) {
  const cleaned = text.replace(/\s+/g, ' ').trim();
  if (!segmenter) return [...cleaned].length;
  let n = 0;
  for (const _ of segmenter.segment(cleaned)) n++;
  return n;
}

/** The words for a refused send: its code and, where waiting helps, the wait. */
export function refusalText(code, retryAfterMs) {
  const wait = retryAfterMs ? ` Try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.` : '';
  switch (code) {
    case 'chat_rate_limited': return `You are sending messages too fast.${wait}`;
    case 'chat_channel_busy': return `This chat is very busy right now.${wait}`;
    case 'chat_duplicate': return `You just sent that. Say something new${wait ? `, or wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}.`;
    case 'chat_busy': return `Chat is busy storing messages.${wait}`;
    case 'rate_limited': return `Slow down a little.${wait}`;
    case 'chat_empty': return 'Type a message first.';
    case 'chat_too_long': return `That message is longer than ${MAX_LENGTH} characters.`;
    case 'chat_text_invalid': return 'That message has characters that cannot be sent.';
    case 'chat_reply_not_found': return 'The message you replied to is gone. Cancel the reply to send it.';
    case 'channel_not_found': return 'This channel no longer exists.';
    case 'guest_forbidden': return 'Sign in to chat.';
    case 'redis_unavailable':
    case 'database_unavailable': return 'Chat is having trouble right now. Press Send again to retry; the message will not be sent twice.';
    default: return 'Not sent: the connection was lost. Press Send again to retry.';
  }
}

/** A hub error's code and retry-after, from "… HubException: code: text; retry after N ms". */
export function parseHubError(error) {
  const message = String(error?.message ?? error ?? '');
  const code = /HubException: ([a-z_]+): /.exec(message)?.[1] ?? null;
  const retry = /retry after (\d+) ms/.exec(message)?.[1];
  return { code, retryAfterMs: retry ? Number(retry) : null };
}

/**
 * The panel in `root` (the ChatPanel component's aside). `invoke(method, ...args)` calls the hub; `announce(words)`
 * speaks through the page's polite region. Returns the page's hooks: onEvent(envelope), system(text), load(), reload().
 */
export function createChatPanel(root, { invoke, announce, record }) {
  const $ = (id) => document.getElementById(id);
  const log = $('chat-log');
  const scroller = $('chat-scroll');
  const status = $('chat-status');
  const jump = $('chat-jump');
  const me = root.dataset.userId || null;
  const historyUrl = root.dataset.historyUrl;
  const channelId = root.dataset.channelId;
  const shown = new Set();
  const state = { ids: [], sends: [], errors: [], loads: 0 };
  record.chat = state;
  let unseen = 0;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= NEAR_BOTTOM_PX;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; unseen = 0; jump.hidden = true; };
  scroller.addEventListener('scroll', () => { if (nearBottom()) { unseen = 0; jump.hidden = true; } });
  jump.addEventListener('click', () => { toBottom(); $('chat-input')?.focus(); });

  const trim = () => {
    while (log.children.length > MAX_MESSAGES) {
      const first = log.firstElementChild;
      if (first.dataset.id) shown.delete(first.dataset.id);
      first.remove();
    }
    state.ids = [...log.querySelectorAll('li[data-id]')].map((li) => li.dataset.id);
  };

  /** Adds items at the end (live) or the start (history), keeping the reader's place. */
  const place = (items, atStart) => {
    if (items.length === 0) return;
    const stick = nearBottom();
    const before = scroller.scrollHeight;
    if (atStart) log.prepend(...items); else log.append(...items);
    status.hidden = true;
    trim();
    if (atStart) {
      if (!stick) scroller.scrollTop += scroller.scrollHeight - before;
      else toBottom();
    } else if (stick) {
      toBottom();
    } else {
      unseen += items.length;
      jump.hidden = false;
      jump.textContent = `${unseen} new message${unseen === 1 ? '' : 's'} ↓`;
    }
  };

  const render = (message) => {
    const li = document.createElement('li');
    li.className = 'chat-message';
    li.dataset.id = message.id;
    li.dataset.senderId = message.sender?.id ?? '';
    if (message.replyTo) {
      const quote = document.createElement('p');
      quote.className = 'chat-quote';
      quote.dataset.testid = 'chat-quote';
      const who = document.createElement('span');
      who.className = 'chat-quote-name';
      who.textContent = `@${message.replyTo.senderName}`;
      quote.append('Replying to ', who, `: ${message.replyTo.quote}`);
      li.append(quote);
    }
    const line = document.createElement('p');
    line.className = 'chat-line';
    for (const badge of message.sender?.badges ?? []) {
      if (!BADGES[badge]) continue;
      const b = document.createElement('span');
      b.className = `chat-badge chat-badge-${badge.split('_')[0]}`;
      b.dataset.badge = badge;
      b.textContent = BADGES[badge];
      line.append(b, ' ');
    }
    const name = document.createElement('strong');
    name.className = 'chat-name';
    name.textContent = message.sender?.name ?? 'someone';
    line.append(name, ': ');
    const body = document.createElement('span');
    body.className = 'chat-body';
    for (const fragment of message.fragments ?? []) body.append(renderFragment(fragment));
    line.append(body);
    if (me && message.fragments?.some((f) => f.type === 'mention' && f.userId === me)) li.classList.add('mentions-me');
    li.append(line);
    if (me) {
      const reply = document.createElement('button');
      reply.type = 'button';
      reply.className = 'chat-reply';
      reply.textContent = 'Reply';
      reply.setAttribute('aria-label', `Reply to ${message.sender?.name ?? 'this message'}`);
      reply.addEventListener('click', () => startReply(message));
      li.append(reply);
    }
    return li;
  };

  const renderFragment = (fragment) => {
    const text = typeof fragment?.text === 'string' ? fragment.text : '';
    switch (fragment?.type) {
      case 'emote':
        if (UUID.test(fragment.emoteId ?? '')) {
          const img = document.createElement('img');
          img.className = 'emote';
          img.src = `/emotes/${fragment.emoteId}/image`;
          img.alt = text;
          img.title = text;
          img.width = 28;
          img.height = 28;
          return img;
        }
        break;
      case 'emoji': {
        const span = document.createElement('span');
        span.className = 'emoji';
        span.textContent = text;
        return span;
      }
      case 'mention': {
        const span = document.createElement('span');
        span.className = fragment.userId && fragment.userId === me ? 'mention me' : 'mention';
        span.textContent = text;
        return span;
      }
      case 'link':
        if (/^https?:\/\//i.test(fragment.url ?? '')) {
          const a = document.createElement('a');
          a.href = fragment.url;
          a.rel = 'noopener noreferrer nofollow ugc';
          a.target = '_blank';
          a.textContent = text;
          return a;
        }
        break;
      default:
        break;
    }
    return document.createTextNode(text);
  };

  /** A chat.message event: shown once, however often it arrives (resume, retry, history). */
  const onMessage = (message) => {
    if (!message?.id || shown.has(message.id)) return;
    shown.add(message.id);
    place([render(message)], false);
    if (me && message.sender?.id !== me && message.fragments?.some((f) => f.type === 'mention' && f.userId === me)) {
      announce?.(`${message.sender?.name ?? 'Someone'} mentioned you in chat.`);
    }
  };

  /** A line the page writes itself from other events (the stream went live, ended). */
  const system = (text) => {
    const li = document.createElement('li');
    li.className = 'chat-system';
    li.dataset.testid = 'chat-system';
    li.textContent = text;
    place([li], false);
  };

  /** Fills the log from history (newest page, 50): older messages go above those already shown. */
  const load = async () => {
    try {
      const response = await fetch(historyUrl, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`history answered ${response.status}`);
      const page = await response.json();
      const items = (page.items ?? []).slice().reverse().filter((m) => m?.id && !shown.has(m.id));
      for (const m of items) shown.add(m.id);
      place(items.map(render), true);
      state.loads++;
      if (log.children.length === 0) {
        status.hidden = false;
        status.textContent = 'No messages yet. Say hello!';
      }
    } catch (e) {
      console.warn('chat: history failed', e);
      status.hidden = false;
      status.textContent = 'Earlier messages cannot be loaded right now.';
    }
  };

  /** After recovered:false: what was missed cannot be replayed, so the log is read again from history. */
  const reload = async () => {
    log.replaceChildren();
    shown.clear();
    unseen = 0;
    jump.hidden = true;
    await load();
    toBottom();
  };

  // Sending.
  const form = $('chat-form');
  const input = $('chat-input');
  const count = $('chat-count');
  const error = $('chat-error');
  const send = $('chat-send');
  const replying = $('chat-replying');
  let replyTo = null;
  let pending = null; // {text, replyToId, clientMsgId}: a failed send's id, used again when the same message is retried
  let blockedUntil = 0;
  let countdown = null;
  let sending = false; // one send at a time: Enter pressed twice does not send twice

  const showError = (words) => {
    error.textContent = words;
    if (words) state.errors.push(words);
  };
  // A refusal that asks the sender to wait (too fast, a busy chat): Send stays off and the words count down.
  const WAIT_CODES = new Set(['chat_rate_limited', 'chat_channel_busy', 'chat_busy', 'rate_limited']);
  const blockFor = (code, retryAfterMs) => {
    blockedUntil = Date.now() + retryAfterMs;
    send.disabled = true;
    clearInterval(countdown);
    countdown = setInterval(() => {
      const left = blockedUntil - Date.now();
      if (left > 0) {
        error.textContent = refusalText(code, left);
        return;
      }
      clearInterval(countdown);
      countdown = null;
      send.disabled = sending;
      showError('');
    }, 250);
  };
  const updateCount = () => {
    const n = chatLength(input.value);
    count.textContent = `${n}/${MAX_LENGTH}`;
    count.classList.toggle('over', n > MAX_LENGTH);
  };
  function startReply(message) {
    replyTo = { id: message.id, name: message.sender?.name ?? '' };
    $('chat-replying-text').textContent = `Replying to @${replyTo.name}`;
    replying.hidden = false;
    input?.focus();
  }
  const cancelReply = () => { replyTo = null; replying.hidden = true; };

  if (form) {
    $('chat-reply-cancel').addEventListener('click', () => { cancelReply(); input.focus(); });
    input.addEventListener('input', updateCount);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = input.value;
      const n = chatLength(text);
      if (n === 0) { showError(refusalText('chat_empty')); return; }
      if (n > MAX_LENGTH) { showError(refusalText('chat_too_long')); return; }
      if (sending || Date.now() < blockedUntil) return;
      const replyToId = replyTo?.id ?? null;
      if (!pending || pending.text !== text || pending.replyToId !== replyToId) {
        pending = { text, replyToId, clientMsgId: crypto.randomUUID() };
      }
      sending = true;
      send.disabled = true;
      send.setAttribute('aria-busy', 'true');
      try {
        const result = await invoke('SendChat', channelId, text, replyToId, pending.clientMsgId);
        state.sends.push(result);
        pending = null;
        input.value = '';
        updateCount();
        cancelReply();
        showError('');
        toBottom();
      } catch (err) {
        const { code, retryAfterMs } = parseHubError(err);
        showError(refusalText(code, retryAfterMs));
        // A duplicate only refuses that text: something new may be sent at once.
        if (retryAfterMs && WAIT_CODES.has(code)) blockFor(code, retryAfterMs);
      } finally {
        sending = false;
        send.disabled = Date.now() < blockedUntil;
        send.removeAttribute('aria-busy');
        input.focus();
      }
    });
    updateCount();
  }

  return {
    onEvent(envelope) {
      if (envelope.type === 'chat.message') onMessage(envelope.data);
    },
    system,
    load,
    reload,
  };
}
