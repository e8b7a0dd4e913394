import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, PHONE, signIn } from './support/browser.ts';
import { EN, FR, STEP_MS, visible, type Words } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// axe-core (WCAG 2.1 A/AA and best practices) must find no serious or critical violation on the five
// screens of the issue, in both languages: login, portal home and incident (phone), queue and incident (desktop).

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;
const refs: Record<'fr' | 'en', { open: string; resolved: string }> = { fr: { open: '', resolved: '' }, en: { open: '', resolved: '' } };

beforeAll(async () => {
  server = await startServer();
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  data = await seedJourneyData(admin);
  const agent = await apiSession(server.url, data.users.agentEn.email, data.password);
  for (const lang of ['fr', 'en'] as const) {
    const requester = await apiSession(server.url, (lang === 'fr' ? data.users.requesterFr : data.users.requesterEn).email, data.password);
    // An open incident with a public reply and an internal note, and a resolved one awaiting confirmation.
    const open = await requester('POST', '/incidents', { title: lang === 'fr' ? 'Messagerie très lente' : 'E-mail very slow', description: '…', impact: 3, urgency: 2 });
    await agent('POST', `/incidents/${open.id}/comments`, { body: lang === 'fr' ? 'Nous regardons.' : 'Looking into it.', visibility: 'public' });
    await agent('POST', `/incidents/${open.id}/comments`, { body: 'Mailbox over quota.', visibility: 'internal' });
    const resolved = await requester('POST', '/incidents', { title: lang === 'fr' ? 'Écran noir' : 'Black screen', description: '…', impact: 3, urgency: 3 });
    await agent('POST', `/incidents/${resolved.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: lang === 'fr' ? 'Câble remplacé.' : 'Cable replaced.' });
    refs[lang] = { open: open.ref, resolved: resolved.ref };
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each([
  ['fr', FR],
  ['en', EN],
] as const)('in %s', (lang, words) => {
  const requesterEmail = () => (lang === 'fr' ? data.users.requesterFr : data.users.requesterEn).email;
  const agentEmail = () => (lang === 'fr' ? data.users.agentFr : data.users.agentEn).email;

  test('login page', async () => {
    await withPage(words, PHONE, async (page) => {
      await page.goto(server.url);
      await visible(page.getByLabel(words.signIn.email));
      await expectNoSerious(page);
    });
  });

  test('portal home and incident pages (phone)', async () => {
    await withPage(words, PHONE, async (page) => {
      await signIn(page, server.url, requesterEmail(), data.password, words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: words.portalTitle }));
      await visible(page.getByRole('link', { name: new RegExp(refs[lang].open) }));
      await expectNoSerious(page);

      await page.getByRole('link', { name: new RegExp(refs[lang].open) }).click();
      await visible(page.getByRole('list').getByText(lang === 'fr' ? 'Nous regardons.' : 'Looking into it.'));
      await expectNoSerious(page);

      await page.getByRole('link', { name: words.back }).click();
      await page.getByRole('link', { name: new RegExp(refs[lang].resolved) }).click();
      await visible(page.getByRole('button', { name: words.confirm }));
      await expectNoSerious(page);
      // "Not fixed" swaps the buttons for a reason and a reopen button.
      await page.getByRole('button', { name: words.notFixed }).click();
      await visible(page.getByRole('button', { name: words.reopen }));
      await expectNoSerious(page);
    });
  });

  test('agent queue and incident pages (desktop)', async () => {
    await withPage(words, DESKTOP, async (page) => {
      await signIn(page, server.url, agentEmail(), data.password, words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: words.queueTitle }));
      await visible(page.getByTestId('queue-row').first());
      await expectNoSerious(page);

      await page.getByTestId('queue-row').getByRole('link', { name: refs[lang].open }).click();
      await visible(page.getByTestId('timeline-note'));
      await expectNoSerious(page);

      // The internal-note composer has its own colors; check them too.
      await page.getByTestId('composer-tab-internal').click();
      await visible(page.getByLabel(words.internalNote));
      await expectNoSerious(page);

      // Beyond the five screens: the log-a-call form.
      await page.getByRole('navigation').getByRole('link', { name: words.logCall }).click();
      await visible(page.getByRole('heading', { level: 1, name: words.logCall }));
      await expectNoSerious(page);
    });
  });
});

async function withPage(words: Words, device: typeof PHONE | typeof DESKTOP, fn: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ ...device, locale: words.locale });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await fn(page);
  } finally {
    await context.close();
  }
}

async function expectNoSerious(page: Page) {
  const violations = await seriousViolations(page);
  expect(violations, `${new URL(page.url()).pathname}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}
