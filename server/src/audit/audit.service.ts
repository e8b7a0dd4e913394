import type { z } from 'zod';
import { AUDIT_TARGET_TYPES, type AuditEntry, type AuditExportQuery, type AuditLogFilters, type AuditLogQuery } from '../../../contract/audit.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, encodeCursor } from '../lib/cursor.ts';
import { type Actor, requireRole } from '../tenancy/scope.ts';
import { changesOf, changeText, csvRow } from './audit-rules.ts';
import * as repo from './audit.repository.ts';

const EXPORT_BATCH = 500;

/** Configuration changes, newest first (admins). */
export async function listAuditLog(ctx: Ctx, actor: Actor, query: z.infer<typeof AuditLogQuery>): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  requireRole(actor, 'admin');
  const filters = toFilters(query);
  const beforeId = query.cursor ? decodeCursor(query.cursor)[1] : undefined;
  const rows = await repo.listAuditEvents(ctx.db, { ...filters, beforeId, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const items = await toEntries(ctx, page);
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id, last.id) : null };
}

/**
 * The same log as CSV, for spreadsheets: UTF-8 with a BOM (so that Excel reads accents), streamed in
 * batches of 500 rows (memory stays flat whatever the size of the log).
 */
export function exportAuditLog(ctx: Ctx, actor: Actor, query: z.infer<typeof AuditExportQuery>) {
  requireRole(actor, 'admin');
  const filters = toFilters(query);
  async function* lines() {
    yield `\uFEFF${csvRow(['Time (UTC)', 'Event', 'Actor', 'Actor e-mail', 'Address', 'Request ID', 'Target type', 'Target ID', 'Target', 'Changes'])}`;
    let beforeId: number | undefined;
    for (;;) {
      const rows = await repo.listAuditEvents(ctx.db, { ...filters, beforeId, limit: EXPORT_BATCH });
      if (rows.length === 0) return;
      let chunk = '';
      for (const e of await toEntries(ctx, rows)) {
        chunk += csvRow([e.at, e.type, e.actor?.name, e.actor?.email, e.address, e.requestId, e.target.type, e.target.id, e.target.label, e.changes.map(changeText).join('; ')]);
      }
      yield chunk;
      if (rows.length < EXPORT_BATCH) return;
      beforeId = rows[rows.length - 1]!.id;
    }
  }
  return { filename: `vigie-audit-${ctx.clock.now().toISOString().slice(0, 10)}.csv`, lines: lines() };
}

function toFilters(query: z.infer<typeof AuditLogFilters>): Omit<repo.AuditFilters, 'limit' | 'beforeId'> {
  const from = query.from ? new Date(query.from).toISOString() : undefined;
  const to = query.to ? new Date(query.to).toISOString() : undefined;
  if (from && to && from >= to) throw AppError.validation([{ path: 'to', message: 'Must be after from' }]);
  return {
    aggregateTypes: query.aggregateType ? [query.aggregateType] : AUDIT_TARGET_TYPES,
    actorId: query.actorId,
    aggregateId: query.aggregateId,
    type: query.type,
    from,
    to,
    q: query.q,
  };
}

async function toEntries(ctx: Ctx, rows: repo.AuditRow[]): Promise<AuditEntry[]> {
  const labels = await repo.labelsOf(ctx.db, rows.map((r) => ({ type: r.aggregate_type, id: r.aggregate_id })));
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at,
    type: r.type,
    actor: r.actor_id !== null && r.actor_name !== null ? { id: r.actor_id, name: r.actor_name, email: r.actor_email ?? '' } : null,
    address: r.actor_ip,
    requestId: r.request_id,
    target: { type: r.aggregate_type, id: r.aggregate_id, label: labels.get(`${r.aggregate_type}:${r.aggregate_id}`) ?? null },
    changes: changesOf(parse(r.payload)),
  }));
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}
