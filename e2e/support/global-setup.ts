import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Builds the web app once (only when its sources changed) before the journeys start servers. */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
}
