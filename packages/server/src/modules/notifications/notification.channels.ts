/**
 * Delivery channels 推送渠道 behind one interface: the in-app inbox is the record; channels push a
 * copy out (SMS 短信, WeCom/WeChat 企业微信, e-mail 邮件). The default is a logging channel. The
 * HTTP channels post to a gateway the operator configures: a WeCom group robot webhook, or any
 * JSON endpoint of an SMS or e-mail gateway. Delivery runs after COMMIT, best effort, by the
 * process that wrote the notification; a failure is logged and never undoes the notification.
 */
import type { Contact, NotificationRecord } from './notification.repository.ts';

export interface NotificationChannel {
  readonly name: string;
  send(n: NotificationRecord, to: Contact): Promise<void>;
}

export type ChannelLog = (fields: Record<string, unknown>, message: string) => void;

/** Writes every notification to the log: the default channel, and the one tests read. */
export class LoggingChannel implements NotificationChannel {
  readonly name = 'log';
  readonly #log: ChannelLog;
  constructor(log: ChannelLog) {
    this.#log = log;
  }
  async send(n: NotificationRecord, to: Contact): Promise<void> {
    this.#log({ channel: this.name, notificationId: n.id, userId: to.id, kind: n.kind, caseId: n.caseId }, `${n.title}: ${n.body}`);
  }
}

export interface HttpChannelOptions {
  url: string;
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** Injected for tests; defaults to global fetch. */
  fetch?: typeof fetch;
}

async function postJson(opts: HttpChannelOptions, body: unknown): Promise<void> {
  const res = await (opts.fetch ?? fetch)(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  if (!res.ok) throw new Error(`${opts.url} answered ${res.status}`);
}

/**
 * WeCom group robot 企业微信群机器人 (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`):
 * a text message mentioning the recipient's mobile number when known. WeCom answers HTTP 200 with
 * `errcode` ≠ 0 on failure, which is reported as an error.
 */
export class WeComRobotChannel implements NotificationChannel {
  readonly name = 'wecom';
  readonly #opts: HttpChannelOptions;
  constructor(opts: HttpChannelOptions) {
    this.#opts = opts;
  }
  async send(n: NotificationRecord, to: Contact): Promise<void> {
    const res = await (this.#opts.fetch ?? fetch)(this.#opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'text', text: { content: `【${n.title}】${n.body}`, mentioned_mobile_list: to.phone ? [to.phone] : [] } }),
      signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 5000),
    });
    const answer = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
    if (!res.ok || (answer.errcode ?? 0) !== 0) throw new Error(`WeCom robot: ${res.status} ${answer.errcode ?? ''} ${answer.errmsg ?? ''}`.trim());
  }
}

/**
 * A JSON gateway for SMS or e-mail: posts `{ channel, to: { userId, name, phone }, title, body,
 * caseId, kind }` to the gateway, which owns the provider's signing and templates.
 */
export class GatewayChannel implements NotificationChannel {
  readonly name: string;
  readonly #opts: HttpChannelOptions;
  constructor(name: 'sms' | 'email' | string, opts: HttpChannelOptions) {
    this.name = name;
    this.#opts = opts;
  }
  async send(n: NotificationRecord, to: Contact): Promise<void> {
    if (this.name === 'sms' && !to.phone) return; // nobody to text
    await postJson(this.#opts, { channel: this.name, to: { userId: to.id, name: to.displayName, phone: to.phone }, title: n.title, body: n.body, caseId: n.caseId, kind: n.kind });
  }
}

/** Sends each notification through every channel; failures are logged one by one. */
export async function deliver(channels: readonly NotificationChannel[], list: readonly NotificationRecord[], contacts: Map<string, Contact>, log: ChannelLog): Promise<number> {
  let sent = 0;
  for (const n of list) {
    const to = contacts.get(n.userId);
    if (!to) continue;
    for (const ch of channels) {
      try {
        await ch.send(n, to);
        sent += 1;
      } catch (error) {
        log({ channel: ch.name, notificationId: n.id, err: error instanceof Error ? error.message : String(error) }, 'notification delivery failed');
      }
    }
  }
  return sent;
}
