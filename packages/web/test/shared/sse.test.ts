import { describe, expect, it } from 'vitest';
import { parseSse } from '../../src/shared/sse.ts';

describe('parseSse', () => {
  it('splits complete frames and keeps the unfinished rest', () => {
    const r = parseSse('retry: 3000\nevent: ready\ndata: {"a":1}\n\n: keep-alive\n\nid: c1:2\nevent: case.reported\ndata: {"b":\ndata: 2}\n\nevent: x\ndata: par');
    expect(r.retry).toBe(3000);
    expect(r.messages).toEqual([
      { event: 'ready', data: '{"a":1}', id: null },
      { event: 'case.reported', data: '{"b":\n2}', id: 'c1:2' },
    ]);
    expect(r.rest).toBe('event: x\ndata: par');
  });

  it('accepts CRLF line ends and defaults the event name', () => {
    expect(parseSse('data: hi\r\n\r\n').messages).toEqual([{ event: 'message', data: 'hi', id: null }]);
  });
});
