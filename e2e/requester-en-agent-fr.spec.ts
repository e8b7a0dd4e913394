import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiSession, seedJourneyData } from './support/api.ts';
import { launchBrowser } from './support/browser.ts';
import { EN, FR, reportAndResolveJourney } from './support/journey.ts';
import { ADMIN, type RunningServer, startServer } from './support/server.ts';

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

test('an English requester on a phone reports an incident; a French agent handles it live; the requester reopens it once, then confirms', async () => {
  const result = await reportAndResolveJourney(
    browser,
    server.url,
    {
      requester: { email: data.users.requesterEn.email, words: EN },
      agent: { email: data.users.agentFr.email, words: FR },
      password: data.password,
    },
    {
      title: 'Cannot connect to the warehouse VPN',
      description: 'The VPN client says "authentication failed" since this morning.',
      reply: 'Nous avons réinitialisé votre jeton VPN, pouvez-vous réessayer ?',
      note: 'Jeton expiré côté RADIUS ; vérifier les autres comptes de l’entrepôt.',
      resolution: 'Jeton VPN réinitialisé.',
      notFixed: 'Still failing from the laptop at gate 3.',
      resolution2: 'Certificat du portable renouvelé ; la connexion fonctionne.',
    },
  );
  expect(result.ref).toMatch(/^I-\d{6}$/);
  const others = Object.entries(result.latencies).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.info(`${result.ref}: in the open queue after ${result.seenAfter} ms, reply on the portal after ${result.replySeenAfter} ms; ${others}`);
});
