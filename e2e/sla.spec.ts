import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Api, apiSession, seedJourneyData } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, signIn } from './support/browser.ts';
import { EN, STEP_MS, visible } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// Issue 4 in the browser: a manager creates a business calendar (and sees an API field error, then the
// deadline preview), an SLA policy for an organization at maturity level 2, and applies it to the open
// incidents; a new incident then shows its TTO and TTR countdowns on its page and in the queue, and the
// SLA report has a row for the organization and priority. axe checks the new screens on the way.

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;
let requester: Api;
let agent: Api;
const manager = { email: 'mia@desk.test', name: 'Mia Moreau' };
/** Opened before any policy exists: "apply to open incidents" gives it an SLA. */
let earlier: { id: number; ref: string };

beforeAll(async () => {
  server = await startServer();
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  data = await seedJourneyData(admin);
  await admin('POST', '/users', { ...manager, role: 'manager', locale: 'en', password: data.password });
  requester = await apiSession(server.url, data.users.requesterEn.email, data.password);
  agent = await apiSession(server.url, data.users.agentEn.email, data.password);
  earlier = await requester('POST', '/incidents', { title: 'Label printer offline', description: '…', impact: 3, urgency: 3 });
  expect((await agent('GET', `/incidents/${earlier.id}`)).slaPolicyId).toBeNull();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('a manager sets up a calendar and an SLA policy; incidents show countdowns; the report has them', async () => {
  const context = await browser.newContext({ ...DESKTOP, locale: EN.locale, timezoneId: 'Europe/London' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, server.url, manager.email, data.password, EN.signIn);
    await visible(page.getByRole('heading', { level: 1, name: EN.queueTitle }));

    await createCalendar(page);
    await createPolicy(page);

    // "Apply to open incidents" recomputes the one open incident, which now has deadlines.
    await page.getByRole('button', { name: 'Apply to open incidents' }).click();
    await visible(page.getByTestId('recompute-result').getByText('1 open incident recomputed', { exact: true }));
    const recomputed = await agent('GET', `/incidents/${earlier.id}`);
    expect(recomputed.slaPolicyId).not.toBeNull();
    expect(recomputed.ttoDueAt).not.toBeNull();
    // A public reply owns it in time (TTO met), for the report below.
    await agent('POST', `/incidents/${earlier.id}/comments`, { body: 'We are on it.', visibility: 'public' });

    // A new incident (priority 3) of the level-2 organization gets the policy's deadlines at once.
    const title = 'Warehouse scanners cannot sync';
    const incident = await requester('POST', '/incidents', { title, description: 'Since 9:00.', impact: 3, urgency: 3 });
    expect(incident.priority).toBe(3);
    expect(incident.ttoDueAt).not.toBeNull();
    expect(incident.ttrDueAt).not.toBeNull();

    // Its page counts down both clocks…
    await page.goto(`${server.url}/console/incidents/${incident.ref}`);
    await visible(page.getByRole('heading', { level: 1, name: title }));
    await visible(page.locator('[data-sla="running"]').filter({ hasText: /^TTO · due in / }));
    await visible(page.locator('[data-sla="running"]').filter({ hasText: /^TTR · due in / }));

    // …and so does its row in the queue.
    await page.getByRole('link', { name: EN.queueTitle }).click();
    const row = page.getByTestId('queue-row').filter({ hasText: title });
    await visible(row);
    await visible(row.locator('[data-sla="running"]').filter({ hasText: /^TTR · due in / }));

    // The SLA report: both incidents on the organization's P3 row, the one owned in time at 100 % (green).
    await page.getByRole('link', { name: 'SLA report' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'SLA compliance' }));
    const reportRow = page.getByTestId('sla-report-row').filter({ hasText: data.orgs.en.name }).filter({ hasText: 'P3 Medium' });
    await visible(reportRow);
    const cells = await reportRow.locator('td').allTextContents();
    // Priority, incidents, owned in time, owned late, TTO compliance, resolved in time, resolved late, TTR compliance.
    expect(cells.slice(0, 5)).toEqual(['P3 Medium', '2', '1', '0', '100%']);
    expect(await reportRow.locator('[data-compliance]').first().getAttribute('data-compliance')).toBe('green');
    expect(await seriousViolations(page)).toEqual([]);

    // Last month had nothing; nor has the other organization, which has no policy.
    await page.getByText('Last month', { exact: true }).click();
    await visible(page.getByText('No incident under an SLA in this period.'));
    await page.getByText('This month', { exact: true }).click();
    await visible(reportRow);
    await page.getByRole('combobox', { name: 'Organization' }).click();
    await page.getByRole('option', { name: `${data.orgs.fr.name} (${data.orgs.fr.code})` }).click();
    await visible(page.getByText('No incident under an SLA in this period.'));
  } finally {
    await context.close();
  }
});

/** A 24/7 calendar through the form: a bad row first (the API's error shows on it), then the preview. */
async function createCalendar(page: Page) {
  await page.getByRole('link', { name: 'Calendars' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Business calendars' }));
  await page.getByRole('button', { name: 'New calendar' }).click();
  const dialog = page.getByRole('dialog', { name: 'New calendar' });
  await visible(dialog);
  await visible(dialog.getByText('The preview shows here once the calendar is saved.'));
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Harbour 24/7');
  await dialog.getByRole('button', { name: '24/7', exact: true }).click();
  expect(await dialog.getByTestId('hours-row').count()).toBe(7);

  // An eighth row (Monday again, all day) overlaps the first: the API refuses it, and says so on that row.
  await dialog.getByRole('button', { name: 'Add working hours' }).click();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const rowError = dialog.getByTestId('hours-row').nth(7).getByTestId('hours-row-error');
  await visible(rowError);
  expect(await rowError.textContent()).toBe('Overlaps row 1 (Monday 00:00–24:00)');
  expect(await dialog.getByLabel('Start, row 8', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Remove working hours, row 8' }).click();
  await rowError.waitFor({ state: 'detached' });

  // Saved, the form stays open on the calendar and previews a 4-hour target, then a 1-hour one.
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Harbour 24/7' });
  const preview = edit.getByTestId('calendar-preview');
  await visible(preview);
  expect(await preview.textContent()).toContain('A 4-hour target starting now is due');
  await edit.getByRole('combobox', { name: 'Target' }).click();
  await page.getByRole('option', { name: '1 hour', exact: true }).click();
  const oneHour = preview.getByText(/^A 1-hour target starting now is due /);
  await visible(oneHour);
  // On a 24/7 calendar that is an hour from now, in the user's language and time zone.
  const inAnHour = (d: number) => new Intl.DateTimeFormat('en', { dateStyle: 'full', timeZone: 'Europe/London' }).format(Date.now() + 3_600_000 + d);
  const sentence = (await oneHour.textContent()) ?? '';
  expect([inAnHour(-60_000), inAnHour(0)].some((day) => sentence.includes(day)), sentence).toBe(true);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await edit.waitFor({ state: 'hidden' });
  await visible(page.getByRole('row').filter({ hasText: 'Harbour 24/7' }).getByText('Mon–Sun 00:00–24:00'));
}

/** A policy for the level-2 organization on that calendar, with P3's time to resolve set to 16 hours. */
async function createPolicy(page: Page) {
  await page.getByRole('link', { name: 'SLA policies' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'SLA policies' }));
  await page.getByRole('button', { name: 'New SLA policy' }).click();
  const dialog = page.getByRole('dialog', { name: 'New SLA policy' });
  await visible(dialog);
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Harbour gold');
  await dialog.getByRole('combobox', { name: /^Organization/ }).click();
  await page.getByRole('option', { name: `${data.orgs.en.name} (${data.orgs.en.code})` }).click();
  await dialog.getByRole('combobox', { name: /^Business calendar/ }).click();
  await page.getByRole('option', { name: 'Harbour 24/7 (Europe/London)' }).click();
  await dialog.getByRole('textbox', { name: 'P3 Medium · Time to resolve (TTR), hours', exact: true }).fill('16');
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.getByRole('row').filter({ hasText: 'Harbour gold' });
  await visible(row);
  expect(await row.textContent()).toContain(data.orgs.en.name);
  await visible(row.getByText('P3 · 2 h / 16 h'));
}
