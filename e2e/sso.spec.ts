import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestIdp, type TestIdp } from '../server/test/support/test-idp.ts';
import { apiSession } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser } from './support/browser.ts';
import { STEP_MS } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

/**
 * Single sign-on in Chromium, in French and in English, against a real OpenID provider (oidc-provider)
 * with its own login form: by typing an e-mail of the organization's domain, or by the provider's button.
 */

const PW = 'idp-password-123';
let server: RunningServer;
let idp: TestIdp;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  idp = await startTestIdp({
    redirectUris: [`${server.url}/api/v1/auth/sso/callback`],
    accounts: [
      { sub: 'camille', email: 'camille@lac.test', emailVerified: true, name: 'Camille Martin', locale: 'fr-FR', password: PW },
      { sub: 'mallory', email: 'mallory@lac.test', emailVerified: false, name: 'Mallory', password: PW },
      { sub: 'olivia', email: 'olivia@harbour.test', emailVerified: true, name: 'Olivia B.', password: PW },
      { sub: 'stranger', email: 'stranger@harbour.test', emailVerified: true, name: 'Stranger', password: PW },
    ],
  });
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  const lac = await admin('POST', '/organizations', { name: 'Clinique du Lac', code: 'LAC', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2 });
  const harbour = await admin('POST', '/organizations', { name: 'Harbour Logistics', code: 'HARB', locale: 'en', timezone: 'Europe/London', maturityLevel: 2 });
  await admin('POST', '/users', { email: 'olivia@harbour.test', name: 'Olivia Brown', role: 'requester', orgId: harbour.id, locale: 'en' });
  // Lac: found by the e-mail domain only; users created on first sign-in. Harbour: a button; existing users linked.
  await admin('POST', '/identity-providers', { name: 'Lac Connect', orgId: lac.id, issuer: idp.issuer, clientId: idp.confidential.clientId, clientSecret: idp.confidential.clientSecret, emailDomains: ['lac.test'], showButton: false, autoCreate: true });
  await admin('POST', '/identity-providers', { name: 'Harbour ID', orgId: harbour.id, issuer: idp.issuer, clientId: idp.public.clientId, emailDomains: ['harbour.test'], showButton: true, linkByEmail: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  await server?.stop();
});

test('en français : l’adresse du domaine mène au fournisseur d’identité, et la première connexion crée le demandeur', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await page.getByLabel(/^Courriel/).fill('camille@lac.test');
    await page.getByText('Votre organisation se connecte avec Lac Connect.').waitFor({ timeout: STEP_MS });
    expect(await page.getByLabel(/^Mot de passe/).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continuer avec Lac Connect' }).click();
    await signInAtIdp(page, 'camille@lac.test');
    await page.getByRole('heading', { name: 'Aide et incidents' }).waitFor({ timeout: STEP_MS });
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(await me(page)).toMatchObject({ email: 'camille@lac.test', name: 'Camille Martin', role: 'requester', locale: 'fr' });

    // An unverified e-mail is neither linked nor created: back on the sign-in page, told why in French.
    await context.clearCookies();
    await page.goto(server.url);
    await page.getByLabel(/^Courriel/).fill('mallory@lac.test');
    await page.getByRole('button', { name: 'Continuer avec Lac Connect' }).click();
    await signInAtIdp(page, 'mallory@lac.test');
    await page.getByRole('alert').filter({ hasText: 'Aucun compte Vigie ne correspond à cette identité' }).waitFor({ timeout: STEP_MS });
    expect(new URL(page.url()).search).toBe('');
  } finally {
    await context.close();
  }
});

test('in English: the provider’s button signs an existing requester in, linked by e-mail', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/portal`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Sign in with Harbour ID' }).click();
    await signInAtIdp(page, 'olivia@harbour.test');
    await page.getByRole('heading', { name: 'Help and incidents' }).waitFor({ timeout: STEP_MS });
    expect(new URL(page.url()).pathname).toBe('/portal');
    expect(await me(page)).toMatchObject({ email: 'olivia@harbour.test', name: 'Olivia Brown', role: 'requester', locale: 'en' });

    // Someone of the domain without a Vigie account is refused, in English.
    await context.clearCookies();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Sign in with Harbour ID' }).click();
    await signInAtIdp(page, 'stranger@harbour.test');
    await page.getByRole('alert').filter({ hasText: 'No Vigie account matches this identity' }).waitFor({ timeout: STEP_MS });
  } finally {
    await context.close();
  }
});

test('en français : l’administrateur configure la connexion unique et copie l’URL de retour', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  // The admin works in French (otherwise the provider organization's English applies once signed in).
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password);
  await admin('PATCH', `/users/${(await admin('GET', '/me')).id}`, { locale: 'fr' });
  try {
    await page.goto(server.url);
    await page.getByLabel(/^Courriel/).fill(ADMIN.email);
    await page.getByLabel(/^Mot de passe/).fill(ADMIN.password);
    await page.getByRole('button', { name: /^Se connecter$/ }).click();
    await page.getByRole('link', { name: 'Connexion unique' }).click();
    await page.getByRole('heading', { name: 'Connexion unique (SSO)' }).waitFor({ timeout: STEP_MS });
    const table = page.getByRole('table', { name: 'Connexion unique (SSO)' });
    await table.getByRole('row', { name: /Lac Connect/ }).waitFor({ timeout: STEP_MS });
    await table.getByRole('row', { name: /Harbour ID/ }).waitFor();
    expect(await page.getByLabel('URL de retour (redirect URI)').inputValue()).toBe(`${server.url}/api/v1/auth/sso/callback`);
    expect(await seriousViolations(page)).toEqual([]);

    await table.getByRole('row', { name: /Lac Connect/ }).getByRole('button', { name: /Modifier/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Modifier Lac Connect' });
    await dialog.getByText('Stocké chiffré et jamais affiché. Laissez vide pour conserver le secret actuel.').waitFor();
    expect(await dialog.getByLabel('Secret client').inputValue()).toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel(/^Libellé du bouton/).fill('Lac Connect SSO');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await table.getByRole('row', { name: /Lac Connect SSO/ }).waitFor({ timeout: STEP_MS });
    // The secret was kept: the provider still signs in (its client is confidential).
    await context.clearCookies();
    await page.goto(server.url);
    await page.getByLabel(/^Courriel/).fill('camille@lac.test');
    await page.getByRole('button', { name: 'Continuer avec Lac Connect SSO' }).click();
    await signInAtIdp(page, 'camille@lac.test');
    await page.getByRole('heading', { name: 'Aide et incidents' }).waitFor({ timeout: STEP_MS });
  } finally {
    await context.close();
  }
});

/** The test identity provider's own login form. */
async function signInAtIdp(page: Page, email: string) {
  await page.waitForURL((url) => url.href.startsWith(idp.issuer), { timeout: STEP_MS });
  await page.getByLabel('IdP e-mail').fill(email);
  await page.getByLabel('IdP password').fill(PW);
  await page.getByRole('button', { name: 'Continue to Vigie' }).click();
  await page.waitForURL((url) => url.href.startsWith(server.url), { timeout: STEP_MS });
}

async function me(page: Page) {
  return page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
}
