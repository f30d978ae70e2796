/**
 * Server-sent events over fetch 实时推送: like EventSource, but able to send the bearer token in a
 * header (an EventSource cannot, and a token in the URL ends up in logs). Reconnects after
 * `retry` ms (the server's `retry:` field, default 3 s) until the signal aborts.
 */
import { getToken } from './session.ts';

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/** Parses complete frames out of `buffer`; returns them and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string; retry: number | null } {
  const messages: SseMessage[] = [];
  let retry: number | null = null;
  const normalised = buffer.replace(/\r\n?/g, '\n');
  const frames = normalised.split('\n\n');
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    }
    if (data.length) messages.push({ event, data: data.join('\n'), id });
  }
  return { messages, rest, retry };
}

export function connectSse(url: string, onMessage: (m: SseMessage) => void, signal: AbortSignal, onState?: (connected: boolean) => void): void {
  let retryMs = 3000;
  const run = async () => {
    while (!signal.aborted) {
      try {
        const res = await fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${getToken() ?? ''}` }, signal });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState?.(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          if (parsed.retry !== null) retryMs = parsed.retry;
          for (const m of parsed.messages) onMessage(m);
        }
      } catch {
        /* dropped: reconnect below */
      }
      onState?.(false);
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void run();
}
