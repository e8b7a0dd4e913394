/**
 * `npm run screenshots`: the main screens in French and English, on the demo data set, written to
 * docs/screenshots/ (shown in the README). Starts its own demo server on a temporary database and stops it.
 *
 * Screens: sign-in, portal home and incident (phone), agent queue, agent incident (a public reply and an
 * internal note on its timeline), log a phone call (caller found as you type), an admin page.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../server/src/demo/demo-data.ts';
import { apiSession } from './support/api.ts';
import { DESKTOP, launchBrowser, PHONE } from './support/browser.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

type Lang = 'fr' | 'en';
const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const WIDE = { viewport: { width: 1440, height: 900 } };
const TIMEOUT = 20_000;

interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  personId: number | null;
}

let server = null as RunningServer | null;
let browser = null as Browser | null;

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../scripts/build-web.mjs')], { stdio: 'inherit' });
  console.log('starting the demo server (seeds the demo data set) …');
  server = await startServer({ entry: 'demo' });
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  const users = (await admin<{ items: User[] }>('GET', '/users?limit=200')).items;
  const byName = (name: string) => users.find((u) => u.name === name) ?? fail(`demo user ${name} not found`);
  const agent = byName(DEMO_LOGINS.agent);
  const requesters: Record<Lang, User> = { fr: byName(DEMO_LOGINS.requesterFr), en: byName(DEMO_LOGINS.requesterEn) };
  const agentApi = await apiSession(server.url, agent.email, DEMO_PASSWORD);
  const orgs = (await admin<{ items: { id: number; locale: Lang }[] }>('GET', '/organizations?limit=200')).items;

  browser = await launchBrowser();
  for (const lang of ['fr', 'en'] as const) {
    const requesterApi = await apiSession(server.url, requesters[lang].email, DEMO_PASSWORD);
    const portalIncident = await portalIncidentToShow(requesterApi);
    // An incident of a client organization that speaks the language, for the agent's screens.
    const consoleIncident = await incidentWithReplyAndNote(agentApi, orgs.filter((o) => o.locale === lang).map((o) => o.id));

    await shoot(lang, 'login', DESKTOP, null, async (page) => {
      await page.goto(server!.url);
      await page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in' }).waitFor();
    });
    await shoot(lang, 'portal-home', PHONE, requesters[lang], async (page) => {
      await page.goto(`${server!.url}/portal`);
      await page.locator('article').first().waitFor();
    }, { fullPage: true });
    await shoot(lang, 'portal-incident', PHONE, requesters[lang], async (page) => {
      await page.goto(`${server!.url}/portal/incidents/${portalIncident}`);
      await page.locator('li[data-testid="timeline-reply"]').first().waitFor();
    }, { fullPage: true });
    await shoot(lang, 'queue', WIDE, agent, async (page) => {
      await page.goto(`${server!.url}/console`);
      await page.getByTestId('queue-row').nth(10).waitFor();
      await settle(page);
    });
    await shoot(lang, 'incident', WIDE, agent, async (page) => {
      await page.goto(`${server!.url}/console/incidents/${consoleIncident}`);
      const note = page.locator('li[data-testid="timeline-note"]').first();
      await note.waitFor();
      await settle(page);
    }, { fullPage: true });
    await shoot(lang, 'log-call', WIDE, agent, async (page) => {
      await page.goto(`${server!.url}/console/call`);
      const caller = page.getByRole('textbox', { name: lang === 'fr' ? /^Demandeur/ : /^Caller/ }).or(page.getByRole('combobox', { name: lang === 'fr' ? /^Demandeur/ : /^Caller/ }));
      await caller.first().fill(lang === 'fr' ? 'lefè' : 'mitch');
      await page.getByRole('option').first().waitFor();
    });
    await shoot(lang, 'admin', WIDE, users.find((u) => u.email === ADMIN.email) ?? fail('no admin'), async (page) => {
      await page.goto(`${server!.url}/admin/organizations`);
      await page.getByRole('table').first().waitFor();
      await settle(page);
    }, { password: ADMIN.password });
  }
  console.log(`screenshots written to ${path.relative(process.cwd(), OUT)}/`);
}

/** One screenshot in a fresh browser context, signed in as `user` (or signed out), in `lang`. */
async function shoot(
  lang: Lang,
  name: string,
  device: typeof PHONE | typeof DESKTOP | typeof WIDE,
  user: User | null,
  prepare: (page: Page) => Promise<void>,
  options: { fullPage?: boolean; password?: string } = {},
) {
  const context = await browser!.newContext({ ...device, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', timezoneId: 'Europe/Paris', colorScheme: 'light' });
  try {
    // The language switch's choice wins over the user's locale: every screen in both languages.
    await context.addInitScript((l) => localStorage.setItem('vigie.lang', l), lang);
    if (user) {
      const res = await fetch(`${server!.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: options.password ?? DEMO_PASSWORD }),
      });
      if (!res.ok) fail(`sign-in of ${user.email}: ${res.status}`);
      const [pair] = res.headers.get('set-cookie')!.split(';');
      const [cookieName, value] = pair!.split('=');
      await context.addCookies([{ name: cookieName!, value: value!, url: server!.url }]);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await prepare(page);
    // No blinking caret, no running transition in the picture. A constructed style sheet: the page's
    // Content-Security-Policy refuses an injected <style> element.
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('*, *::before, *::after { caret-color: transparent !important; transition: none !important; animation: none !important; }');
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    if (options.fullPage) {
      // The whole page, by growing the window to it (a full-page capture would cut the fixed side bar short).
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: device.viewport.width, height: Math.min(height, 3000) });
      await settle(page);
    }
    const file = path.join(OUT, `${lang}-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`  ${path.basename(file)}`);
  } finally {
    await context.close();
  }
}

/** Waits until names (teams, agents, organizations) have filled in: no request in flight for a moment. */
async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

type Api = Awaited<ReturnType<typeof apiSession>>;

/** An open incident whose timeline has both a public reply and an internal note (the demo has many). */
async function incidentWithReplyAndNote(api: Api, orgIds: number[]): Promise<string> {
  const list = await api<{ items: { id: number; ref: string }[] }>('GET', `/incidents?status=in_progress,pending&orgId=${orgIds.join(',')}&sort=-updatedAt&limit=50`);
  let best: { ref: string; score: number } | null = null;
  for (const i of list.items) {
    const timeline = await api<{ items: { kind: string }[] }>('GET', `/incidents/${i.id}/timeline?limit=200`);
    const replies = timeline.items.filter((e) => e.kind === 'reply').length;
    const notes = timeline.items.filter((e) => e.kind === 'note').length;
    // Both kinds, and short enough to fit the page.
    const score = replies > 0 && notes > 0 ? 100 - Math.abs(timeline.items.length - 8) : -1;
    if (score > (best?.score ?? -1)) best = { ref: i.ref, score };
  }
  return best?.ref ?? fail('no demo incident with a public reply and an internal note');
}

/** The requester's incident with the most public replies, a resolved one (awaiting confirmation) first. */
async function portalIncidentToShow(api: Api): Promise<string> {
  const list = await api<{ items: { id: number; ref: string; status: string }[] }>('GET', '/incidents?sort=-updatedAt&limit=50');
  let best: { ref: string; score: number } | null = null;
  for (const i of list.items) {
    const timeline = await api<{ items: { kind: string }[] }>('GET', `/incidents/${i.id}/timeline?limit=200`);
    const replies = timeline.items.filter((e) => e.kind === 'reply').length;
    const score = replies === 0 ? -1 : (i.status === 'resolved' ? 10 : 0) + Math.min(replies, 3) - Math.max(0, timeline.items.length - 6);
    if (score > (best?.score ?? -1)) best = { ref: i.ref, score };
  }
  return best?.ref ?? fail('no incident of the requester with a public reply');
}

function fail(message: string): never {
  throw new Error(message);
}

const watchdog = setTimeout(() => {
  console.error('screenshots: gave up after 10 minutes');
  process.exit(1);
}, 10 * 60_000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all([browser?.close(), server?.stop()]).finally(() => process.exit(130)));
}
try {
  await main();
} finally {
  clearTimeout(watchdog);
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
}
