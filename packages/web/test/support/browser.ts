/**
 * Debian's Chromium driven by playwright-core. Browser tests skip with a message when
 * /usr/bin/chromium is absent (install: apt-get install -y chromium fonts-wqy-microhei).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { WEB_ROOT } from './build.ts';

export const CHROMIUM = process.env.GRIDLOOP_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`Browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium fonts-wqy-microhei)`);

export const REPO_ROOT = resolve(WEB_ROOT, '../..');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web');
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1920, height: 1080 } as const;

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/**
 * A browser with a fresh profile: playwright-core's launch() gives every launch its own new
 * temporary --user-data-dir (it refuses the flag in `args`) and removes it on close.
 */
export async function launchChromium(): Promise<Chromium> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  return { browser, close: () => browser.close() };
}

/** A context (phone or desktop) already signed in as `session` (token and user in localStorage). */
export async function contextFor(browser: Browser, size: { width: number; height: number }, session?: { token: string; user: unknown }, extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1, ...extra });
  if (session) {
    await ctx.addInitScript(([token, user]) => {
      if (!localStorage.getItem('gridloop.token')) {
        localStorage.setItem('gridloop.token', token as string);
        localStorage.setItem('gridloop.user', JSON.stringify(user));
      }
    }, [session.token, session.user] as const);
  }
  return ctx;
}

/** Collects uncaught page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export async function shoot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const size = page.viewportSize();
  const path = join(ARTIFACTS, `${name}-${size?.width ?? 0}x${size?.height ?? 0}.png`);
  await page.screenshot({ path });
  return path;
}
