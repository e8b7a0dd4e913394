import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Api, apiToken } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, signIn } from './support/browser.ts';
import { EN, FR, STEP_MS, visible, type Words } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// Passkeys in the browser, in each language, with Chromium's virtual authenticator (DevTools protocol): add a passkey
// on /account (recovery codes shown, as it turns two-factor sign-in on), sign out, sign in with password + passkey.
// WebAuthn refuses an IP address as relying party: the pages are opened at http://localhost:<port>.

interface PasskeyWords {
  words: Words;
  homeTitle: string;
  account: string;
  signOut: string;
  add: string;
  nameLabel: RegExp;
  register: string;
  recoveryList: string;
  saved: string;
  done: string;
  on: string;
  passkeys: string;
  codeTitle: string;
  use: string;
  remove: (name: string) => string;
  removeSubmit: string;
  password: RegExp;
  none: string;
  off: string;
  addApp: string;
  continue: string;
  wrongPassword: string;
  qrAlt: string;
  cancel: string;
}

const LANGS: Record<'fr' | 'en', PasskeyWords> = {
  fr: {
    words: FR,
    homeTitle: FR.portalTitle,
    account: 'Votre compte',
    signOut: 'Se déconnecter',
    add: 'Ajouter une clé d’accès',
    nameLabel: /^Nom de la clé d’accès/,
    register: 'Enregistrer la clé d’accès',
    recoveryList: 'Codes de secours',
    saved: 'J’ai enregistré ces codes en lieu sûr',
    done: 'Terminé',
    on: 'Activée',
    passkeys: 'Clés d’accès',
    codeTitle: 'Connexion en deux étapes',
    use: 'Utiliser une clé d’accès',
    remove: (name) => `Retirer la clé d’accès ${name}`,
    removeSubmit: 'Retirer',
    password: /^Votre mot de passe/,
    none: 'Aucune clé d’accès pour l’instant.',
    off: 'Désactivée',
    addApp: 'Configurer aussi une application d’authentification',
    continue: 'Continuer',
    wrongPassword: 'Mot de passe incorrect.',
    qrAlt: 'Code QR pour ajouter Vigie à votre application d’authentification',
    cancel: 'Annuler',
  },
  en: {
    words: EN,
    homeTitle: EN.portalTitle,
    account: 'Your account',
    signOut: 'Sign out',
    add: 'Add a passkey',
    nameLabel: /^Name of the passkey/,
    register: 'Register the passkey',
    recoveryList: 'Recovery codes',
    saved: 'I have saved these codes somewhere safe',
    done: 'Done',
    on: 'On',
    passkeys: 'Passkeys',
    codeTitle: 'Two-factor sign-in',
    use: 'Use a passkey',
    remove: (name) => `Remove the passkey ${name}`,
    removeSubmit: 'Remove',
    password: /^Your password/,
    none: 'No passkey yet.',
    off: 'Off',
    addApp: 'Also set up an authenticator app',
    continue: 'Continue',
    wrongPassword: 'Wrong password.',
    qrAlt: 'QR code to add Vigie to your authenticator app',
    cancel: 'Cancel',
  },
};

const PASSWORD = 'passkey-e2e-123';
let server: RunningServer;
let base: string;
let browser: Browser;
let admin: Api;

beforeAll(async () => {
  server = await startServer();
  base = server.url.replace('//127.0.0.1:', '//localhost:');
  admin = await apiToken(server.url, ADMIN.email, ADMIN.password);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(['fr', 'en'] as const)('passkeys in %s', (lang) => {
  const w = LANGS[lang];

  test('a passkey added on /account signs in after the password, and can be removed', async () => {
    const org = await admin('POST', '/organizations', { name: `Passkey org ${lang}`, code: `PK${lang.toUpperCase()}`, locale: lang, timezone: 'Europe/Paris', maturityLevel: 2 });
    const user = await admin('POST', '/users', { email: `passkey-${lang}@client.test`, name: `Passkey ${lang}`, role: 'requester', orgId: org.id, locale: lang, password: PASSWORD });
    const context = await browser.newContext({ ...DESKTOP, locale: w.words.locale });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await virtualAuthenticator(context, page);
      await signIn(page, base, user.email, PASSWORD, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));

      // Add one: the browser's prompt is answered by the virtual authenticator; as the first second factor, it
      // turns two-factor sign-in on and shows recovery codes once.
      await page.goto(`${base}/account`);
      const section = page.getByRole('region', { name: w.passkeys });
      await visible(section.getByText(w.none));
      await section.getByRole('button', { name: w.add }).click();
      await section.getByLabel(w.nameLabel).fill('Virtual key');
      await section.getByRole('button', { name: w.register }).click();
      const list = page.getByRole('list', { name: w.recoveryList });
      await visible(list);
      expect(await list.getByRole('listitem').count()).toBe(10);
      await page.getByLabel(w.saved).check();
      await page.getByRole('button', { name: w.done, exact: true }).click();
      await visible(page.getByText(w.on, { exact: true }));
      await visible(page.getByRole('cell', { name: 'Virtual key', exact: true }));
      await expectNoSerious(page);
      const passkeys = await admin('GET', `/users/${user.id}/two-factor`);
      expect(passkeys).toMatchObject({ enabled: true, totp: false, passkeys: 1 });

      // Sign out, then password and passkey.
      await signOut(page, w);
      await signIn(page, base, user.email, PASSWORD, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.codeTitle }));
      await expectNoSerious(page);
      await page.getByRole('button', { name: w.use }).click();
      await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));

      // Two-factor sign-in is on: another factor (an app, a passkey) needs the password first.
      await page.goto(`${base}/account`);
      await page.getByRole('button', { name: w.addApp }).click();
      await page.getByLabel(w.password).fill('not-the-password');
      await page.getByRole('button', { name: w.continue }).click();
      await visible(page.getByRole('alert').getByText(w.wrongPassword));
      await page.getByLabel(w.password).fill(PASSWORD);
      await page.getByRole('button', { name: w.continue }).click();
      await visible(page.getByRole('img', { name: w.qrAlt }));
      await expectNoSerious(page);
      await page.getByRole('button', { name: w.cancel, exact: true }).click();
      await section.getByRole('button', { name: w.add }).click();
      await page.getByLabel(w.password).fill(PASSWORD);
      await page.getByRole('button', { name: w.continue }).click();
      await visible(section.getByLabel(w.nameLabel));
      await section.getByRole('button', { name: w.cancel, exact: true }).click();
      expect(await admin('GET', `/users/${user.id}/two-factor`)).toMatchObject({ enabled: true, totp: false, passkeys: 1, recoveryCodesLeft: 10 });

      // Remove it (with the password): two-factor sign-in is off again.
      await page.getByRole('button', { name: w.remove('Virtual key') }).click();
      await page.getByLabel(w.password).fill(PASSWORD);
      await page.getByRole('button', { name: w.removeSubmit, exact: true }).click();
      await visible(page.getByText(w.none));
      await visible(page.getByText(w.off, { exact: true }));
      expect(await admin('GET', `/users/${user.id}/two-factor`)).toMatchObject({ enabled: false, passkeys: 0 });
    } finally {
      await context.close();
    }
  });
});

/** Chromium's virtual authenticator (CTAP2, built in, user verified): it answers WebAuthn prompts of this page. */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

async function expectNoSerious(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

async function signOut(page: Page, w: PasskeyWords) {
  await page.getByRole('button', { name: w.account }).click();
  await page.getByRole('menuitem', { name: w.signOut }).click();
  await visible(page.getByLabel(w.words.signIn.password));
}
