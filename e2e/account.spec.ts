import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, PHONE, signIn } from './support/browser.ts';
import { EN, FR, STEP_MS, visible, type Words } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// Issue 7, sessions and API tokens, in the browser: a user signed in on a laptop and on a phone (two
// browser contexts) lists their sessions on /account, signs the phone out, and the phone is back on the
// sign-in page at its next request; then they create a read-only API token, see it once (copied to the
// clipboard, with a warning), and the token reads but cannot write. Once in French, once in English.
// Then an admin signs a user out of every session from the users page, and that user's open page follows.

const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

interface AccountWords {
  words: Words;
  myAccount: string;
  accountTitle: string;
  sessionsTitle: string;
  thisDevice: string;
  laptop: string;
  phone: string;
  signOutNamed: (device: string) => RegExp;
  tokenName: RegExp;
  readOnly: RegExp;
  createToken: string;
  shownOnce: RegExp;
  copy: string;
  copied: string;
  done: string;
  readOnlyBadge: string;
  signInTitle: string;
}

const LANGS: Record<'fr' | 'en', AccountWords> = {
  fr: {
    words: FR,
    myAccount: 'Mon compte',
    accountTitle: 'Votre compte',
    sessionsTitle: 'Sessions',
    thisDevice: 'Cet appareil',
    laptop: 'Chrome sous Linux',
    phone: 'Safari sous iOS',
    signOutNamed: (device) => new RegExp(`^Déconnecter ${device} \\(`),
    tokenName: /^Nom/,
    readOnly: /^Lecture seule/,
    createToken: 'Créer un jeton',
    shownOnce: /il ne sera plus jamais affiché/,
    copy: 'Copier',
    copied: 'Copié',
    done: 'Je l’ai copié',
    readOnlyBadge: 'Lecture seule',
    signInTitle: 'Connexion à Vigie',
  },
  en: {
    words: EN,
    myAccount: 'My account',
    accountTitle: 'Your account',
    sessionsTitle: 'Sessions',
    thisDevice: 'This device',
    laptop: 'Chrome on Linux',
    phone: 'Safari on iOS',
    signOutNamed: (device) => new RegExp(`^Sign out ${device} \\(`),
    tokenName: /^Name/,
    readOnly: /^Read-only/,
    createToken: 'Create a token',
    shownOnce: /it will never be shown again/,
    copy: 'Copy',
    copied: 'Copied',
    done: 'I have copied it',
    readOnlyBadge: 'Read-only',
    signInTitle: 'Sign in to Vigie',
  },
};

let server: RunningServer;
let browser: Browser;
let data: Awaited<ReturnType<typeof seedJourneyData>>;

beforeAll(async () => {
  server = await startServer();
  data = await seedJourneyData(await apiSession(server.url, ADMIN.email, ADMIN.password));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(['fr', 'en'] as const)('account security in %s', (lang) => {
  const w = LANGS[lang];

  test('signs another device out, then creates a read-only API token shown once', async () => {
    const email = lang === 'fr' ? data.users.agentFr.email : data.users.requesterEn.email;
    const contexts: BrowserContext[] = [];
    try {
      const phoneCtx = await browser.newContext({ ...PHONE, locale: w.words.locale, userAgent: IPHONE_UA });
      const laptopCtx = await browser.newContext({ ...DESKTOP, locale: w.words.locale, timezoneId: 'Europe/Paris' });
      contexts.push(phoneCtx, laptopCtx);
      await laptopCtx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const phone = await phoneCtx.newPage();
      const laptop = await laptopCtx.newPage();
      for (const page of [phone, laptop]) page.setDefaultTimeout(STEP_MS);

      // Signed in on both; the laptop opens its account page from the user menu.
      await signIn(phone, server.url, email, data.password, w.words.signIn);
      await signIn(laptop, server.url, email, data.password, w.words.signIn);
      for (const page of [phone, laptop]) await visible(page.getByRole('button', { name: new RegExp(w.accountTitle) }));
      await openAccount(laptop, w);

      // Both sessions are listed, in plain words; the laptop's is "this device".
      const sessions = laptop.getByRole('table', { name: w.sessionsTitle });
      await visible(sessions.getByTestId('session-row').nth(1));
      expect(await sessions.getByTestId('session-row').count()).toBe(2);
      const here = sessions.getByTestId('session-row').filter({ hasText: w.thisDevice });
      await visible(here);
      expect(await here.textContent()).toContain(w.laptop);
      const other = sessions.getByTestId('session-row').filter({ hasText: w.phone });
      expect(await other.textContent()).not.toContain(w.thisDevice);
      expect(await other.textContent()).toContain('127.0.0.1');

      // axe finds nothing serious on the page.
      expect(await seriousViolations(laptop)).toEqual([]);

      // Sign the phone out (keyboard: focus the button and press Enter); one session is left.
      const signOut = laptop.getByRole('button', { name: w.signOutNamed(w.phone) });
      await signOut.focus();
      await laptop.keyboard.press('Enter');
      await other.waitFor({ state: 'detached' });
      expect(await sessions.getByTestId('session-row').count()).toBe(1);

      // The phone's next request answers 401: it lands on the sign-in page, without a reload. (Its open
      // page may get there by itself first, with a refetch; an in-app move to /account makes sure of a request.)
      await markNoReload(phone);
      await phone.evaluate(() => {
        history.pushState(null, '', '/account');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      await visible(phone.getByRole('heading', { level: 1, name: w.signInTitle }));
      expect(await phone.evaluate(() => (window as { __noReload?: boolean }).__noReload)).toBe(true);
      expect(await phone.getByLabel(w.words.signIn.password).isVisible()).toBe(true);

      // A read-only token, created with the keyboard-reachable form, is shown once with a warning.
      const tokens = laptop.getByRole('form', { name: w.createToken });
      await tokens.getByLabel(w.tokenName).fill(`E2E ${lang}`);
      await tokens.getByRole('switch', { name: w.readOnly }).check();
      await tokens.getByRole('button', { name: w.createToken }).click();
      await visible(laptop.getByText(w.shownOnce));
      const secret = await laptop.getByTestId('new-token').inputValue();
      expect(secret).toMatch(/^vigie_\S{32,}$/);
      await laptop.getByRole('button', { name: w.copy, exact: true }).click();
      await visible(laptop.getByRole('button', { name: w.copied, exact: true }));
      expect(await laptop.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      expect(await seriousViolations(laptop)).toEqual([]);
      await laptop.getByRole('button', { name: w.done }).click();
      const row = laptop.getByTestId('token-row').filter({ hasText: `E2E ${lang}` });
      await visible(row);
      expect(await row.textContent()).toContain(w.readOnlyBadge);
      // Never shown again, anywhere on the page.
      expect(await laptop.locator('body').textContent()).not.toContain(secret);
      expect(await laptop.locator(`input[value="${secret}"]`).count()).toBe(0);

      // The token reads, and is refused on a write.
      const bearer = { authorization: `Bearer ${secret}` };
      expect((await fetch(`${server.url}/api/v1/me`, { headers: bearer })).status).toBe(200);
      const write = await fetch(`${server.url}/api/v1/api-tokens`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'escalate' }) });
      expect(write.status).toBe(403);
      expect((await write.json()).code).toBe('auth.read_only_token');
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});

test('an admin signs a user out of every session from the users page', async () => {
  const contexts: BrowserContext[] = [];
  try {
    const userCtx = await browser.newContext({ ...DESKTOP, locale: FR.locale });
    const adminCtx = await browser.newContext({ ...DESKTOP, locale: EN.locale });
    contexts.push(userCtx, adminCtx);
    const user = await userCtx.newPage();
    const admin = await adminCtx.newPage();
    for (const page of [user, admin]) page.setDefaultTimeout(STEP_MS);
    await signIn(user, server.url, data.users.requesterFr.email, data.password, FR.signIn);
    await visible(user.getByRole('heading', { level: 1, name: FR.portalTitle }));
    await markNoReload(user);

    await signIn(admin, server.url, ADMIN.email, ADMIN.password, EN.signIn);
    await visible(admin.getByRole('heading', { level: 1, name: EN.queueTitle }));
    await admin.goto(`${server.url}/admin/users`);
    await admin.getByRole('button', { name: 'Edit Camille Martin' }).click();
    await admin.getByRole('button', { name: 'Sign Camille Martin out of every session' }).click();
    const confirm = admin.getByRole('dialog', { name: 'Sign Camille Martin out of every session?' });
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await visible(admin.getByText(/^Camille Martin: \d+ sessions? signed out\.$/));

    // The user's open page finds out at its next request.
    await user.evaluate(() => {
      history.pushState(null, '', '/account');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await visible(user.getByRole('heading', { level: 1, name: LANGS.fr.signInTitle }));
    expect(await user.evaluate(() => (window as { __noReload?: boolean }).__noReload)).toBe(true);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

/** Sets a flag that a reload would wipe. */
async function markNoReload(page: Page) {
  await page.evaluate(() => {
    (window as { __noReload?: boolean }).__noReload = true;
  });
}

/** Opens /account from the user menu (the menu's accessible name starts with the user's name). */
async function openAccount(page: Page, w: AccountWords) {
  await page.getByRole('button', { name: new RegExp(w.accountTitle) }).click();
  await page.getByRole('menuitem', { name: w.myAccount }).click();
  await visible(page.getByRole('heading', { level: 1, name: w.accountTitle }));
}
