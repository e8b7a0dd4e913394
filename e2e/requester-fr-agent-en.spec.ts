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

test('a French requester on a phone reports an incident; an English agent handles it live; the requester confirms', async () => {
  const result = await reportAndResolveJourney(
    browser,
    server.url,
    {
      requester: { email: data.users.requesterFr.email, words: FR },
      agent: { email: data.users.agentEn.email, words: EN },
      password: data.password,
    },
    {
      title: 'Imprimante du 2e étage hors service',
      description: 'L’imprimante affiche « erreur 49 » depuis ce matin.',
      reply: 'We are sending a technician this afternoon.',
      note: 'Firmware 4.2 known to crash; check spare stock before visiting.',
      resolution: 'Printer firmware updated; it prints again.',
    },
  );
  expect(result.ref).toMatch(/^I-\d{6}$/);
  const others = Object.entries(result.latencies).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.info(`${result.ref}: in the open queue after ${result.seenAfter} ms, reply on the portal after ${result.replySeenAfter} ms; ${others}`);
});
