import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, stopAll, testDatabase } from './server-process.ts';
import { DIALECTS } from './test-app.ts';

/**
 * Every node of a database must use the same secret key: without VIGIE_SECRET_KEY, each node would generate
 * one in its own data folder, and sign-ins would fail on the nodes whose key differs. They refuse to start.
 */
afterEach(stopAll);

describe.each(DIALECTS)('the secret key on %s', (dialect) => {
  it(
    'a node whose key differs from the one the database was set up with refuses to start, saying why; with the same key it starts',
    async () => {
      const target = await testDatabase(dialect);
      await startServer(target);
      // A second node on the same database, with a data folder of its own: a key of its own.
      const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-process-'));
      try {
        await expect(startServer({ url: target.url, dataDir: otherDir })).rejects.toThrow(/VIGIE_SECRET_KEY differs from the one this database was set up with/);
        fs.copyFileSync(path.join(target.dataDir, 'secret.key'), path.join(otherDir, 'secret.key'));
        const second = await startServer({ url: target.url, dataDir: otherDir });
        expect((await fetch(`${second.base}/readyz`)).status).toBe(200);
      } finally {
        fs.rmSync(otherDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
