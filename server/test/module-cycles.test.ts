import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Modules talk through domain events or a lower module, never in a circle (STYLE.md). A module is a folder of
// server/src; an edge is a runtime import from one folder's file into another's (`import type` is erased, so it
// does not count). An edge lies on a cycle when its target reaches back to its source.
//
// Known exceptions: the edges below were on a cycle when this test was written; no other edge may be. Most come
// from three imports that tie almost every module together: `http/authenticate.ts` → `auth/` (the auth hook),
// and `lib/cursor.ts`, `tenancy/scope.ts` → `http/errors.ts` (AppError), while `auth/` imports `users/`,
// `events/`… Moving AppError below every module (and the auth hook out of `http/`) would remove
// most of them. The two-module cycles of their own: incidents ↔ sla (use cases refresh the SLA, the SLA reads
// the incident repository), incidents ↔ timeline, attachments ↔ timeline, events ↔ incidents (live updates
// read incidents), auth ↔ users, calendars ↔ sla. Remove an edge from this list once it is no longer on a cycle.
const KNOWN: Record<string, string[]> = {
  attachments: ['events', 'http', 'incidents', 'tenancy', 'timeline'],
  auth: ['events', 'http', 'lib', 'teams', 'tenancy', 'users'],
  calendars: ['events', 'http', 'lib', 'sla', 'tenancy'],
  events: ['http', 'incidents', 'tenancy'],
  http: ['auth'],
  incidents: ['events', 'http', 'lib', 'organizations', 'people', 'services', 'sla', 'teams', 'tenancy', 'timeline', 'users'],
  lib: ['http'],
  organizations: ['events', 'http', 'lib', 'tenancy'],
  people: ['events', 'http', 'lib', 'organizations', 'tenancy'],
  services: ['events', 'http', 'lib', 'tenancy'],
  sla: ['calendars', 'events', 'http', 'incidents', 'lib', 'organizations', 'services', 'tenancy', 'timeline'],
  teams: ['events', 'http', 'lib', 'tenancy', 'users'],
  tenancy: ['http'],
  timeline: ['attachments', 'http', 'incidents', 'lib', 'tenancy'],
  users: ['auth', 'events', 'http', 'lib', 'organizations', 'people', 'tenancy'],
};

const SRC = path.resolve(import.meta.dirname, '../src');

describe('modules of server/src', () => {
  const graph = moduleGraph();
  const onCycle = [...graph.entries()].flatMap(([from, to]) => [...to.keys()].filter((target) => pathBetween(graph, target, from)).map((target) => `${from} -> ${target}`));
  const known = Object.entries(KNOWN).flatMap(([from, to]) => to.map((target) => `${from} -> ${target}`));

  it('import each other in no new cycle', () => {
    const added = onCycle.filter((edge) => !known.includes(edge)).map((edge) => {
      const [from, target] = edge.split(' -> ') as [string, string];
      const back = pathBetween(graph, target, from)!;
      return `${edge} (${graph.get(from)!.get(target)!.join(', ')}) closes the cycle ${[from, ...back].join(' -> ')}`;
    });
    expect(added).toEqual([]);
  });

  it('list as known exceptions only edges still on a cycle', () => {
    expect(known.filter((edge) => !onCycle.includes(edge))).toEqual([]);
  });

  it('are read: the graph has the modules and their imports', () => {
    expect(graph.get('organizations')?.has('events')).toBe(true);
    expect(graph.get('organizations')?.has('sla')).toBe(false);
  });
});

/** For each module, the modules it imports at runtime, with the importing files. */
function moduleGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const dir of fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const edges = new Map<string, string[]>();
    graph.set(dir.name, edges);
    for (const file of fs.readdirSync(path.join(SRC, dir.name), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
      const full = path.join(SRC, dir.name, file);
      for (const specifier of runtimeImports(full)) {
        if (!specifier.startsWith('.')) continue;
        const [target, ...rest] = path.relative(SRC, path.resolve(path.dirname(full), specifier)).split(path.sep);
        // Files at the root of server/src (app.ts, context.ts…) and outside it (contract/) are not modules.
        if (rest.length === 0 || target === '..' || target === dir.name) continue;
        edges.set(target!, [...(edges.get(target!) ?? []), `${dir.name}/${file}`]);
      }
    }
  }
  return graph;
}

function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** The modules on a path from `from` to `to` (both included), or null when `to` cannot be reached. */
function pathBetween(graph: Map<string, Map<string, string[]>>, from: string, to: string): string[] | null {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const found = [to];
      while (found[0] !== from) found.unshift(previous.get(found[0]!)!);
      return found;
    }
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}
