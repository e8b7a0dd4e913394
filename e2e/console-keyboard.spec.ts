import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { DESKTOP, launchBrowser, signIn } from './support/browser.ts';
import { EN, STEP_MS, visible } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// The queue is keyboard-driven: j/k move the selection, Enter opens it, / jumps to the search, ? shows help.

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;
const titles = ['Keyboard one: printer jam', 'Keyboard two: VPN drops', 'Keyboard three: Wi-Fi slow'];

beforeAll(async () => {
  server = await startServer();
  data = await seedJourneyData(await apiSession(server.url, ADMIN.email, ADMIN.password));
  const requester = await apiSession(server.url, data.users.requesterEn.email, data.password);
  // Created in order, so the queue (newest first) lists them three, two, one.
  for (const title of titles) await requester('POST', '/incidents', { title, description: '', impact: 3, urgency: 3 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('j/k move the selection, / focuses the search, ? opens the help, Enter opens the selected incident', async () => {
  const context = await browser.newContext({ ...DESKTOP, locale: EN.locale });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, server.url, data.users.agentEn.email, data.password, EN.signIn);
    const rows = page.getByTestId('queue-row');
    await visible(rows.nth(2));
    expect(await rows.count()).toBe(3);
    await page.locator('body').click({ position: { x: 5, y: 5 } });

    await page.keyboard.press('j');
    expect(await selectedTitle(page)).toBe(titles[2]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await selectedTitle(page)).toBe(titles[0]);
    await page.keyboard.press('k');
    expect(await selectedTitle(page)).toBe(titles[1]);
    // The selected row's link has the focus, so Tab and screen readers follow the selection.
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('aria-current'))).toBe('true');

    // "/" jumps to the search field; typing there does not move the selection; Escape leaves it.
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: /^Search/ });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('jk');
    expect(await search.inputValue()).toBe('jk');
    expect(await selectedTitle(page)).toBe(titles[1]);
    await page.waitForURL((url) => url.searchParams.get('q') === 'jk');
    await search.fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await visible(rows.nth(2));
    await page.keyboard.press('Escape');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(false);

    // "?" opens the list of shortcuts; Escape closes it.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await visible(help);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // Back on the list: k, then Enter opens the selected incident.
    await page.keyboard.press('k');
    expect(await selectedTitle(page)).toBe(titles[2]);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { level: 1, name: titles[2] }));
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/incidents\/I-\d{6}$/);
  } finally {
    await context.close();
  }
});

/** The title of the row marked as selected (aria-current), once exactly one is. */
async function selectedTitle(page: Page): Promise<string | undefined> {
  const selected = page.locator('[data-testid="queue-row"][aria-current="true"]');
  await visible(selected);
  expect(await selected.count()).toBe(1);
  return (await selected.locator('td').nth(1).textContent()) ?? undefined;
}
