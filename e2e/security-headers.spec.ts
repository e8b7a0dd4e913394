import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { DESKTOP, launchBrowser, PHONE, signIn } from './support/browser.ts';
import { EN, FR, visible } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// The strict Content-Security-Policy (no inline script or style) must not break any screen: the console, the
// portal and the API docs render in Chromium without a single violation, Mantine's theme included.

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;
let ref: string;

beforeAll(async () => {
  server = await startServer();
  data = await seedJourneyData(await apiSession(server.url, ADMIN.email, ADMIN.password));
  const requester = await apiSession(server.url, data.users.requesterFr.email, data.password);
  ref = (await requester('POST', '/incidents', { title: 'Imprimante hors ligne', description: '…', impact: 3, urgency: 2 })).ref;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('the console renders under the Content-Security-Policy, with Mantine’s theme applied', async () => {
  await withWatchedPage(DESKTOP, EN.locale, async (page, violations) => {
    const response = await page.goto(server.url);
    expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self';.*style-src 'self' 'nonce-/);
    await signIn(page, server.url, data.users.agentEn.email, data.password, EN.signIn);
    await visible(page.getByRole('heading', { level: 1, name: EN.queueTitle }));
    await page.getByTestId('queue-row').filter({ hasText: 'Imprimante hors ligne' }).getByRole('link', { name: ref }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Imprimante hors ligne' }));
    // The theme's CSS variables come from Mantine's <style> element, admitted by the response's nonce.
    expect(await cssVariable(page, '--mantine-color-placeholder')).toBe('#6c757d');
    expect(violations).toEqual([]);
  });
});

test('the admin screens and the SLA report render under the Content-Security-Policy', async () => {
  await withWatchedPage(DESKTOP, FR.locale, async (page, violations) => {
    await signIn(page, server.url, ADMIN.email, ADMIN.password, FR.signIn);
    await visible(page.getByRole('main').getByRole('heading').first());
    for (const path of ['/admin/organizations', '/admin/users', '/admin/sla', '/console/reports/sla', '/console/call']) {
      await page.goto(`${server.url}${path}`);
      await visible(page.getByRole('main').getByRole('heading').first());
    }
    expect(violations).toEqual([]);
  });
});

test('the portal renders under the Content-Security-Policy', async () => {
  await withWatchedPage(PHONE, FR.locale, async (page, violations) => {
    await signIn(page, server.url, data.users.requesterFr.email, data.password, FR.signIn);
    await visible(page.getByRole('heading', { level: 1, name: FR.portalTitle }));
    await page.getByRole('link', { name: new RegExp(ref) }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Imprimante hors ligne' }));
    expect(await cssVariable(page, '--mantine-color-placeholder')).toBe('#6c757d');
    expect(violations).toEqual([]);
  });
});

test('the API docs render under their own policy', async () => {
  await withWatchedPage(DESKTOP, EN.locale, async (page, violations) => {
    const response = await page.goto(`${server.url}/api/docs`);
    expect(response!.headers()['x-frame-options']).toBe('DENY');
    expect(response!.headers()['content-security-policy']).toMatch(/style-src 'self' 'sha256-/);
    await visible(page.getByRole('heading', { name: /Vigie API/ }));
    expect(violations).toEqual([]);
  });
});

/** A page whose CSP violations (DOM events and console reports alike) are collected from before the first script. */
async function withWatchedPage(device: typeof DESKTOP | typeof PHONE, locale: string, run: (page: Page, violations: string[]) => Promise<void>) {
  const context: BrowserContext = await browser.newContext({ ...device, locale });
  try {
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await run(page, violations);
  } finally {
    await context.close();
  }
}

function cssVariable(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);
}
