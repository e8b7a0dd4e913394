import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// SLA policies, the per-organization override, and the SLA state carried by each incident.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('sla_policies'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('org_id', 'integer', (c: any) => c.references('organizations.id'))
    .addColumn('service_id', 'integer', (c: any) => c.references('services.id'))
    // Checked by the service: the calendars table comes from a migration of its own.
    .addColumn('calendar_id', 'integer', (c: any) => c.notNull())
    .addColumn('targets', 'text', (c: any) => c.notNull())
    .addColumn('pause_when', 'text', (c: any) => c.notNull())
    .addColumn('warn_at_percent', 'integer', (c: any) => c.notNull())
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();

  // null: SLAs follow the maturity level (on from level 2); 1/0: forced on/off for this organization.
  await db.schema.alterTable('organizations').addColumn('sla_enabled', 'integer').execute();

  const cols: [string, string, ((c: any) => any)?][] = [
    ['sla_policy_id', 'integer'],
    ['tto_due_at', ts],
    ['ttr_due_at', ts],
    ['tto_warn_at', ts],
    ['ttr_warn_at', ts],
    ['tto_met_at', ts],
    ['tto_warned', 'integer', (c) => c.notNull().defaultTo(0)],
    ['tto_breached', 'integer', (c) => c.notNull().defaultTo(0)],
    ['ttr_warned', 'integer', (c) => c.notNull().defaultTo(0)],
    ['ttr_breached', 'integer', (c) => c.notNull().defaultTo(0)],
    ['sla_paused_minutes', 'integer', (c) => c.notNull().defaultTo(0)],
    ['sla_paused_since', ts],
    // The next instant at which an escalation may be due; the worker scans this one index.
    ['sla_next_check_at', ts],
    // ttr_due_at, or far in the future when there is none: a non-null key for "due soonest" pagination.
    ['ttr_due_sort', ts, (c) => c.notNull().defaultTo('9999-12-31T23:59:59.999Z')],
  ];
  for (const [name, type, build] of cols) {
    await db.schema.alterTable('incidents').addColumn(name, type as any, build ?? ((c) => c)).execute();
  }
  await db.schema.createIndex('incidents_sla_next_check').on('incidents').column('sla_next_check_at').execute();
  await db.schema.createIndex('incidents_ttr_due_sort').on('incidents').columns(['ttr_due_sort', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('incidents_ttr_due_sort').execute();
  await db.schema.dropIndex('incidents_sla_next_check').execute();
  for (const c of ['ttr_due_sort', 'sla_next_check_at', 'sla_paused_since', 'sla_paused_minutes', 'ttr_breached', 'ttr_warned', 'tto_breached', 'tto_warned', 'tto_met_at', 'ttr_warn_at', 'tto_warn_at', 'ttr_due_at', 'tto_due_at', 'sla_policy_id']) {
    await db.schema.alterTable('incidents').dropColumn(c).execute();
  }
  await db.schema.alterTable('organizations').dropColumn('sla_enabled').execute();
  await db.schema.dropTable('sla_policies').execute();
}
