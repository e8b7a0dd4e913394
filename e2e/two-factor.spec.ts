import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Api, apiSession, apiToken } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { DESKTOP, launchBrowser, signIn } from './support/browser.ts';
import { EN, FR, STEP_MS, visible, type Words } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

// Two-factor sign-in in the browser, in each language: turn it on from /account with the secret read off the
// page (codes computed here with otpauth, as an authenticator app would), sign out, sign in with password and
// code, then with a recovery code; and staff forced to set it up at sign-in when the provider requires it.

interface TwoFactorWords {
  words: Words;
  homeTitle: string;
  queueTitle: string;
  account: string;
  signOut: string;
  enable: string;
  secret: string;
  qrAlt: string;
  code: string;
  recoveryList: string;
  saved: string;
  done: string;
  on: string;
  codesLeft: (n: number) => string;
  codeTitle: string;
  verify: string;
  wrongCode: RegExp;
  useRecovery: string;
  recoveryCode: string;
  usedRecovery: RegExp;
  setupTitle: string;
  continue: string;
  usersTitle: string;
  requireForStaff: string;
  editUser: (name: string) => string;
  userOn: string;
  userOff: string;
  reset: string;
  resetConfirm: string;
}

const LANGS: Record<'fr' | 'en', TwoFactorWords> = {
  fr: {
    words: FR,
    homeTitle: FR.portalTitle,
    queueTitle: FR.queueTitle,
    account: 'Votre compte',
    signOut: 'Se déconnecter',
    enable: 'Activer la connexion en deux étapes',
    secret: 'Clé à saisir à la main',
    qrAlt: 'Code QR pour ajouter Vigie à votre application d’authentification',
    code: 'Code de votre application',
    recoveryList: 'Codes de secours',
    saved: 'J’ai enregistré ces codes en lieu sûr',
    done: 'Terminé',
    on: 'Activée',
    codesLeft: (n) => `${n} codes de secours restants`,
    codeTitle: 'Connexion en deux étapes',
    verify: 'Vérifier',
    wrongCode: /^Code incorrect\./,
    useRecovery: 'Utiliser plutôt un code de secours',
    recoveryCode: 'Code de secours',
    usedRecovery: /^Code de secours inconnu ou déjà utilisé\.$/,
    setupTitle: 'Activer la connexion en deux étapes',
    continue: 'Continuer vers Vigie',
    usersTitle: 'Utilisateurs',
    requireForStaff: 'Exiger la connexion en deux étapes pour le personnel',
    editUser: (name) => `Modifier ${name}`,
    userOn: 'Activée (10 codes de secours restants)',
    userOff: 'Désactivée',
    reset: 'Réinitialiser la connexion en deux étapes',
    resetConfirm: 'Oui, réinitialiser',
  },
  en: {
    words: EN,
    homeTitle: EN.portalTitle,
    queueTitle: EN.queueTitle,
    account: 'Your account',
    signOut: 'Sign out',
    enable: 'Turn on two-factor sign-in',
    secret: 'Key for manual entry',
    qrAlt: 'QR code to add Vigie to your authenticator app',
    code: 'Code from your app',
    recoveryList: 'Recovery codes',
    saved: 'I have saved these codes somewhere safe',
    done: 'Done',
    on: 'On',
    codesLeft: (n) => `${n} recovery codes left`,
    codeTitle: 'Two-factor sign-in',
    verify: 'Verify',
    wrongCode: /^Wrong code\./,
    useRecovery: 'Use a recovery code instead',
    recoveryCode: 'Recovery code',
    usedRecovery: /^Unknown or already used recovery code\.$/,
    setupTitle: 'Set up two-factor sign-in',
    continue: 'Continue to Vigie',
    usersTitle: 'Users',
    requireForStaff: 'Require two-factor sign-in for staff',
    editUser: (name) => `Edit ${name}`,
    userOn: 'On (10 recovery codes left)',
    userOff: 'Off',
    reset: 'Reset two-factor sign-in',
    resetConfirm: 'Yes, reset it',
  },
};

const PASSWORD = 'two-factor-e2e-123';
let server: RunningServer;
let browser: Browser;
let admin: Api;

beforeAll(async () => {
  server = await startServer();
  // A token: an admin turning the requirement on in the browser signs the admin's other password sessions out.
  admin = await apiToken(server.url, ADMIN.email, ADMIN.password);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each(['fr', 'en'] as const)('two-factor sign-in in %s', (lang) => {
  const w = LANGS[lang];

  test('turned on from /account, then sign-ins with password and code, and with a recovery code used once', async () => {
    const org = await admin('POST', '/organizations', { name: `Org ${lang}`, code: `TF${lang.toUpperCase()}`, locale: lang, timezone: 'Europe/Paris', maturityLevel: 2 });
    const user = await admin('POST', '/users', { email: `totp-${lang}@client.test`, name: `Totp ${lang}`, role: 'requester', orgId: org.id, locale: lang, password: PASSWORD });
    const context = await browser.newContext({ ...DESKTOP, locale: w.words.locale });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await signIn(page, server.url, user.email, PASSWORD, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));

      // Turn it on: QR code, key read off the page, first code, recovery codes shown once.
      await page.goto(`${server.url}/account`);
      await page.getByRole('button', { name: w.enable }).click();
      await visible(page.getByRole('img', { name: w.qrAlt }));
      await expectNoSerious(page);
      const secret = await page.getByLabel(w.secret).inputValue();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await page.getByLabel(w.code).fill(codeAt(secret, 0));
      await page.getByRole('button', { name: w.enable }).click();
      const list = page.getByRole('list', { name: w.recoveryList });
      await visible(list);
      const recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
      expect(recoveryCodes).toHaveLength(10);
      await expectNoSerious(page);
      const done = page.getByRole('button', { name: w.done, exact: true });
      expect(await done.isDisabled()).toBe(true);
      await page.getByLabel(w.saved).check();
      await done.click();
      await visible(page.getByText(w.on, { exact: true }));
      await visible(page.getByText(w.codesLeft(10)));

      // Password, then a code: the next step's code, since this step's was spent on the set-up.
      await signOut(page, w);
      await signIn(page, server.url, user.email, PASSWORD, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.codeTitle }));
      const codeField = page.getByLabel(w.code);
      expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await codeField.getAttribute('inputmode')).toBe('numeric');
      expect(await codeField.evaluate((el) => el === document.activeElement)).toBe(true);
      await codeField.fill(wrongCodeFor(secret));
      await page.getByRole('button', { name: w.verify }).click();
      await visible(page.getByRole('alert').filter({ hasText: w.wrongCode }));
      await expectNoSerious(page);
      await codeField.fill(codeAt(secret, 1));
      await page.keyboard.press('Enter');
      await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));

      // A recovery code, once.
      for (const attempt of ['first', 'again'] as const) {
        await signOut(page, w);
        await signIn(page, server.url, user.email, PASSWORD, w.words.signIn);
        await page.getByRole('button', { name: w.useRecovery }).click();
        const field = page.getByLabel(w.recoveryCode);
        expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
        await field.fill(recoveryCodes[0]!);
        await page.getByRole('button', { name: w.verify }).click();
        if (attempt === 'first') await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));
        else await visible(page.getByRole('alert').filter({ hasText: w.usedRecovery }));
      }
      await page.getByLabel(w.recoveryCode).fill(recoveryCodes[1]!);
      await page.getByRole('button', { name: w.verify }).click();
      await visible(page.getByRole('heading', { level: 1, name: w.homeTitle }));
      await page.goto(`${server.url}/account`);
      await visible(page.getByText(w.codesLeft(8)));
    } finally {
      await context.close();
    }
  });

  test('staff required to use it set it up at sign-in and keep their recovery codes', async () => {
    const agent = await admin('POST', '/users', { email: `forced-${lang}@desk.test`, name: `Forced ${lang}`, role: 'agent', locale: lang, password: PASSWORD });
    await admin('PUT', '/settings/security', { requireTwoFactorForStaff: true });
    const context = await browser.newContext({ ...DESKTOP, locale: w.words.locale });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await signIn(page, server.url, agent.email, PASSWORD, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.setupTitle }));
      await visible(page.getByRole('img', { name: w.qrAlt }));
      await expectNoSerious(page);
      const secret = await page.getByLabel(w.secret).inputValue();
      await page.getByLabel(w.code).fill(codeAt(secret, 0));
      await page.getByRole('button', { name: w.enable }).click();
      const list = page.getByRole('list', { name: w.recoveryList });
      await visible(list);
      expect(await list.getByRole('listitem').count()).toBe(10);
      await page.getByLabel(w.saved).check();
      await page.getByRole('button', { name: w.continue }).click();
      await visible(page.getByRole('heading', { level: 1, name: w.queueTitle }));

      // The next sign-in asks for a code.
      await signOut(page, w);
      await signIn(page, server.url, agent.email, PASSWORD, w.words.signIn);
      await page.getByLabel(w.code).fill(codeAt(secret, 1));
      await page.getByRole('button', { name: w.verify }).click();
      await visible(page.getByRole('heading', { level: 1, name: w.queueTitle }));
    } finally {
      await admin('PUT', '/settings/security', { requireTwoFactorForStaff: false });
      await context.close();
    }
  });

  test('an admin requires it for staff from the users page, and resets a user who lost their phone', async () => {
    const name = `Lost phone ${lang}`;
    const agent = await admin('POST', '/users', { email: `lost-${lang}@desk.test`, name, role: 'agent', locale: lang, password: PASSWORD });
    const own = await apiSession(server.url, agent.email, PASSWORD);
    const { secret } = await own('POST', '/me/two-factor/totp');
    await own('POST', '/me/two-factor/totp/confirm', { code: codeAt(secret, 0) });
    // The admin reads Vigie in the language under test.
    await admin('PATCH', `/users/${(await admin('GET', '/me')).id}`, { locale: lang });
    const context = await browser.newContext({ ...DESKTOP, locale: w.words.locale });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_MS);
      await signIn(page, server.url, ADMIN.email, ADMIN.password, w.words.signIn);
      await visible(page.getByRole('heading', { level: 1, name: w.queueTitle }));
      await page.goto(`${server.url}/admin/users`);
      await visible(page.getByRole('heading', { level: 1, name: w.usersTitle }));

      const required = page.getByRole('switch', { name: w.requireForStaff });
      await required.check();
      await expect.poll(() => admin('GET', '/settings/security')).toEqual({ requireTwoFactorForStaff: true });
      await required.uncheck();
      await expect.poll(() => admin('GET', '/settings/security')).toEqual({ requireTwoFactorForStaff: false });

      await page.getByRole('button', { name: w.editUser(name) }).click();
      const dialog = page.getByRole('dialog');
      await visible(dialog.getByText(w.userOn));
      await dialog.getByRole('button', { name: w.reset }).click();
      await dialog.getByRole('button', { name: w.resetConfirm }).click();
      await visible(dialog.getByText(w.userOff, { exact: true }));
      expect((await admin('GET', `/users/${agent.id}/two-factor`)).enabled).toBe(false);
      // The password alone signs in again.
      expect((await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: agent.email, password: PASSWORD }) })).status).toBe(200);
    } finally {
      await context.close();
    }
  });
});

/** axe-core finds no serious or critical violation (WCAG 2.1 A/AA) on the screen. */
async function expectNoSerious(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

async function signOut(page: Page, w: TwoFactorWords) {
  await page.getByRole('button', { name: w.account }).click();
  await page.getByRole('menuitem', { name: w.signOut }).click();
  await visible(page.getByLabel(w.words.signIn.password));
}

/** What an authenticator app shows now (steps = 0), or that many 30-second steps ahead. */
function codeAt(secret: string, steps: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
}

/** A 6-digit code that is none of the codes accepted around now. */
function wrongCodeFor(secret: string): string {
  const accepted = new Set([-1, 0, 1, 2].map((s) => codeAt(secret, s)));
  for (let steps = 10; ; steps++) {
    const candidate = codeAt(secret, steps);
    if (!accepted.has(candidate)) return candidate;
  }
}
