/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package, and
 * inclusive time of chosen functions. `npm run bench -- --profile` writes one per server run.
 *
 * Usage: node --import tsx bench/profile.ts <file.cpuprofile> [top=30] [function names…]
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
interface Profile {
  startTime: number;
  endTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Only samples inside `window` (µs on the monotonic clock, as V8 and process.hrtime use) when given. */
export function summarize(file: string, top = 30, inclusiveOf: string[] = [], window?: [number, number]): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window[0] || at > window[1])) return;
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

  const fnSelf = new Map<string, number>();
  const pkgSelf = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusiveOf.map((f) => [f, 0]));
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms);
    pkgSelf.set(pkgOf(node.callFrame.url, node.callFrame.functionName), (pkgSelf.get(pkgOf(node.callFrame.url, node.callFrame.functionName)) ?? 0) + ms);
    // Inclusive: count the sample once for each named function on its stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name)! + ms);
      }
    }
  }
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)} %`;
  const span = window ? ` in the measured window (profile ${profile.startTime}–${profile.endTime} µs, window ${window[0]}–${window[1]} µs)` : '';
  const lines = [`${file}: ${(total / 1000).toFixed(1)} s sampled${span}`, '', 'self time by package:'];
  for (const [k, ms] of [...pkgSelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(ms)}  ${k}`);
  lines.push('', `self time, top ${top} functions:`);
  for (const [k, ms] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${k}`);
  if (inclusive.size > 0) {
    lines.push('', 'inclusive time:');
    for (const [k, ms] of inclusive) lines.push(`  ${pct(ms)}  ${k}`);
  }
  return lines.join('\n');
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const s = url.indexOf('/server/src/');
  return s >= 0 ? url.slice(s + 1) : url.replace(/^file:\/\/.*\/(bench|contract)\//, '$1/');
}

function pkgOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/server/src/')) return 'vigie server';
  if (url.includes('/contract/')) return 'vigie contract';
  return url.includes('/bench/') ? 'bench' : 'other';
}

if (process.argv[1]?.endsWith('profile.ts')) {
  const [file, top, ...fns] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile.ts <file.cpuprofile> [top] [function…]');
    process.exit(2);
  }
  console.log(summarize(file, Number(top ?? 30), fns));
}
