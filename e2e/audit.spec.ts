import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, signIn } from './support/browser.ts';
import { EN, FR, STEP_MS, visible } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// Issue 7's audit log in the browser, in each language: an admin renames a user through the Users screen,
// opens the audit log, finds the change (who, what, the field in words, the address), narrows it with the
// filters, and exports it as CSV (the downloaded file is read back).

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;

const LANGUAGES = [
  {
    words: EN,
    admin: { email: 'ada@desk.test', name: 'Ada Admin', locale: 'en' },
    user: () => data.users.agentEn,
    renamed: 'Samuel Taylor',
    t: { users: 'Users', edit: (n: string) => `Edit ${n}`, name: 'Name', save: 'Save', auditLog: 'Audit log', who: 'Who', what: 'What', from: 'From', team: 'Team', user: 'User', changed: 'User changed', empty: 'No configuration change matches these filters.', export: 'Export CSV', nameChange: (a: string, b: string) => `Name: ${a} → ${b}`, target: 'User' },
  },
  {
    words: FR,
    admin: { email: 'adele@desk.test', name: 'Adèle Admin', locale: 'fr' },
    user: () => data.users.agentFr,
    renamed: 'Julie Bernard-Roy',
    t: { users: 'Utilisateurs', edit: (n: string) => `Modifier ${n}`, name: 'Nom', save: 'Enregistrer', auditLog: 'Journal d’audit', who: 'Qui', what: 'Quoi', from: 'Du', team: 'Équipe', user: 'Utilisateur', changed: 'Utilisateur modifié', empty: 'Aucune modification de configuration ne correspond à ces filtres.', export: 'Exporter en CSV', nameChange: (a: string, b: string) => `Nom : ${a} → ${b}`, target: 'Utilisateur' },
  },
] as const;

beforeAll(async () => {
  server = await startServer();
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  data = await seedJourneyData(admin);
  for (const l of LANGUAGES) await admin('POST', '/users', { ...l.admin, role: 'admin', password: data.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(LANGUAGES)('audit log in $words.locale', ({ words, admin, user, renamed, t }) => {
  test('an admin renames a user, finds the change in the audit log, filters it and exports it', async () => {
    const context = await browser.newContext({ ...DESKTOP, locale: words.locale, timezoneId: 'Europe/Paris', acceptDownloads: true });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await signIn(page, server.url, admin.email, data.password, words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: words.queueTitle }));

      // The change, through the Users screen.
      const before = user().name as string;
      await page.getByRole('link', { name: t.users, exact: true }).click();
      await page.getByRole('button', { name: t.edit(before), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t.edit(before) });
      await dialog.getByRole('textbox', { name: t.name, exact: true }).fill(renamed);
      await dialog.getByRole('button', { name: t.save, exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });

      // The audit log shows it: who, what, which user, the field in words, from which address.
      await page.getByRole('link', { name: t.auditLog, exact: true }).click();
      await visible(page.getByRole('heading', { level: 1, name: t.auditLog }));
      const row = page.getByRole('row').filter({ hasText: t.nameChange(before, renamed) });
      await visible(row);
      const cells = await row.getByRole('cell').allInnerTexts();
      // When, in the user's language (the app's, not the region's) and time zone.
      const at = (await row.locator('time').getAttribute('datetime'))!;
      const local = new Intl.DateTimeFormat(words.locale.slice(0, 2), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(at));
      expect(spaces(cells[0]!)).toBe(spaces(local));
      expect(cells[1]).toContain(admin.name);
      expect(cells[2]).toBe(t.changed);
      expect(cells[3]).toContain(t.target);
      expect(cells[3]).toContain(user().email);
      expect(cells[5]).toBe('127.0.0.1');
      expect(await seriousViolations(page)).toEqual([]);

      // Filters: teams only shows nothing; users by this admin shows the change; a later start date hides it.
      await choose(page, t.what, t.team);
      await visible(page.getByText(t.empty));
      await choose(page, t.what, t.user);
      await choose(page, t.who, `${admin.name} (${admin.email})`);
      await visible(row);
      await expect.poll(() => page.getByRole('row').count()).toBe(2);
      await page.getByLabel(t.from, { exact: true }).fill('2099-01-01');
      await visible(page.getByText(t.empty));
      await page.getByLabel(t.from, { exact: true }).fill('');
      await visible(row);
      // Free text over the changes.
      await page.getByRole('searchbox').fill('no such change anywhere');
      await visible(page.getByText(t.empty));
      await page.getByRole('searchbox').fill(renamed);
      await visible(row);

      // The export carries the same filters: this admin's change of this user, in a spreadsheet-ready file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t.export }).click()]);
      expect(download.suggestedFilename()).toMatch(/^vigie-audit-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = fs.readFileSync(await download.path(), 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const lines = csv.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe('Time (UTC),Event,Actor,Actor e-mail,Address,Request ID,Target type,Target ID,Target,Changes');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`user.updated,${admin.name},${admin.email},127.0.0.1,`);
      expect(lines[1]).toContain(`,user,${user().id},${user().email},"name: ""${before}"" → ""${renamed}"""`);
    } finally {
      await context.close();
    }
  });
});

/** Chromium and Node may space a date differently (narrow no-break spaces): compare the words. */
function spaces(text: string): string {
  return text.replace(/[\s\u202f]+/g, ' ').trim();
}

/** Picks an option of a Mantine select by its label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
