/** Accessibility checks shared by the browser tests. */
import type { Page } from 'playwright-core';

/** Every visible form control has a label, every button a name (text or aria-label): the offenders. */
export async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]')) {
      if (el.getAttribute('type') === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title');
      const named = (el.tagName === 'BUTTON' || el.tagName === 'A') && (el.textContent ?? '').trim() !== '';
      const placeholderOnly = el.tagName === 'INPUT' && el.getAttribute('type') === 'search' && el.closest('label');
      if (!labelled && !named && !placeholderOnly) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
}
