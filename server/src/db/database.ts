import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** Timestamps are ISO 8601 UTC strings on both dialects (PostgreSQL `timestamptz` is parsed back to ISO). */
type Timestamp = string;
/** Flags are stored as 0/1 integers so that one schema serves SQLite and PostgreSQL. */
type Flag = number;

export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  code: string;
  locale: string;
  timezone: string;
  maturity_level: number;
  priority_matrix: string | null;
  auto_close_days: Generated<number>;
  /** null: SLAs follow the maturity level; 1/0 forces them on/off. */
  sla_enabled: number | null;
  is_provider: Flag;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: string;
  org_id: number | null;
  org_scope: string;
  person_id: number | null;
  portal_scope: string;
  locale: string | null;
  password_hash: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** Opaque id shown to the user (the primary key is the hash of the cookie's secret). */
  public_id: string;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  method: Generated<string>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  read_only: Generated<number>;
  expires_at: Timestamp | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: Timestamp;
}

export interface TeamTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamMemberTable {
  team_id: number;
  user_id: number;
}

export interface ServiceTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IncidentTable {
  id: Generated<number>;
  org_id: number;
  caller_id: number | null;
  title: string;
  description: string;
  channel: string;
  status: string;
  pending_reason: string | null;
  impact: number;
  urgency: number;
  priority: number;
  priority_overridden: Flag;
  priority_reason: string | null;
  reported_at: Timestamp;
  service_id: number | null;
  team_id: number | null;
  agent_id: number | null;
  parent_id: number | null;
  problem_id: number | null;
  resolution_code: string | null;
  resolution: string | null;
  reopen_count: number;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  /** When the requester last created, replied or confirmed; shown in agent queues. */
  last_customer_update_at: Timestamp | null;
  sla_policy_id: number | null;
  tto_due_at: Timestamp | null;
  ttr_due_at: Timestamp | null;
  tto_warn_at: Timestamp | null;
  ttr_warn_at: Timestamp | null;
  tto_met_at: Timestamp | null;
  tto_warned: Generated<Flag>;
  tto_breached: Generated<Flag>;
  ttr_warned: Generated<Flag>;
  ttr_breached: Generated<Flag>;
  sla_paused_minutes: Generated<number>;
  sla_paused_since: Timestamp | null;
  sla_next_check_at: Timestamp | null;
  ttr_due_sort: Generated<Timestamp>;
  /** SLA history, whatever policy applies: first assignment to an agent, public answer by staff or resolution. */
  first_owned_at: Timestamp | null;
  /** SLA history: JSON `[{ reason, from, to }]` of every stay in `pending`, `to` null while still pending. */
  pending_spans: Generated<string>;
  /** SLA history: JSON `[{ from, to }]` of every stay in `resolved` (then `closed`), `to` null until reopened. */
  resolved_spans: Generated<string>;
  /** 1 when the SLA state was computed before the SLA history existed: the worker recomputes it, then clears it. */
  sla_stale: Generated<Flag>;
  /** PostgreSQL only: full-text vector of the folded title and description. */
  search_vector: ColumnType<never, unknown, unknown>;
}

/** SQLite only: contentless FTS5 index whose rowid is the incident id. */
export interface IncidentFtsTable {
  rowid: number;
  text: string;
}

export interface TimelineEntryTable {
  id: Generated<number>;
  org_id: number;
  incident_id: number;
  kind: string;
  visibility: string;
  author_id: number | null;
  body: string | null;
  event: string | null;
  changes: string | null;
  created_at: Timestamp;
}

export interface EventTable {
  id: Generated<number>;
  org_id: number | null;
  type: string;
  aggregate_type: string;
  aggregate_id: number;
  actor_id: number | null;
  payload: string;
  created_at: Timestamp;
  processed_at: Timestamp | null;
  /** Client address and request id of the HTTP request that caused the event; null for background work. */
  actor_ip: string | null;
  request_id: string | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  org_id: number;
  incident_id: number;
  timeline_entry_id: number | null;
  visibility: string;
  filename: string;
  content_type: string;
  size: number;
  storage_key: string;
  uploaded_by: number | null;
  created_at: Timestamp;
}

export interface SavedViewTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  filters: string;
  created_at: Timestamp;
}

export interface SlaPolicyTable {
  id: Generated<number>;
  name: string;
  org_id: number | null;
  service_id: number | null;
  calendar_id: number;
  targets: string;
  pause_when: string;
  warn_at_percent: number;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CalendarTable {
  id: Generated<number>;
  name: string;
  timezone: string;
  /** JSON: [{day 1..7, start 'HH:MM', end 'HH:MM'}] */
  hours: string;
  /** JSON: [{date 'YYYY-MM-DD', name, recurring}] */
  holidays: string;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdentityProviderTable {
  id: Generated<number>;
  name: string;
  org_id: number;
  issuer: string;
  client_id: string;
  /** Sealed by SecretBox; null for a public client. */
  client_secret: string | null;
  scopes: string;
  /** JSON array of lower-case domains. */
  email_domains: string;
  show_button: Flag;
  auto_create: Flag;
  default_role: string;
  link_by_email: Flag;
  role_claim: string | null;
  /** JSON: [{value, role}] */
  role_mappings: string;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserIdentityTable {
  id: Generated<number>;
  user_id: number;
  provider_id: number;
  issuer: string;
  subject: string;
  created_at: Timestamp;
  last_login_at: Timestamp;
}

/** Provider-wide settings, one JSON value per key (e.g. `security`). */
export interface SettingTable {
  key: string;
  value: string;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** A user's TOTP seed, sealed with the secret key; `enabled_at` null while the enrolment awaits its first code. */
export interface UserTotpTable {
  user_id: number;
  secret: string;
  enabled_at: Timestamp | null;
  /** The last 30-second step whose code was accepted: a code of that step or earlier is refused (replay). */
  last_step: number | null;
  created_at: Timestamp;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

/** Between the password and the second factor: `id` is the hash of the opaque token given to the client. */
export interface LoginChallengeTable {
  id: string;
  user_id: number;
  purpose: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** The WebAuthn challenge of the passkey options handed out for this sign-in, if any. */
  webauthn_challenge: string | null;
}

/** A passkey (WebAuthn credential) of a user: base64url credential id and COSE public key, signature counter. */
export interface UserPasskeyTable {
  id: Generated<number>;
  user_id: number;
  credential_id: string;
  public_key: string;
  counter: number;
  /** JSON array of the authenticator's transports (usb, nfc, ble, internal, hybrid…). */
  transports: string;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

/** The pending passkey registration of a user: its WebAuthn challenge, until used or expired. */
export interface PasskeyRegistrationTable {
  user_id: number;
  challenge: string;
  expires_at: Timestamp;
}

export interface TwoFactorFailureTable {
  id: Generated<number>;
  user_id: number;
  at: Timestamp;
}

export interface DB {
  identity_providers: IdentityProviderTable;
  user_identities: UserIdentityTable;
  settings: SettingTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodeTable;
  login_challenges: LoginChallengeTable;
  two_factor_failures: TwoFactorFailureTable;
  user_passkeys: UserPasskeyTable;
  passkey_registrations: PasskeyRegistrationTable;
  calendars: CalendarTable;
  sla_policies: SlaPolicyTable;
  attachments: AttachmentTable;
  saved_views: SavedViewTable;
  organizations: OrganizationTable;
  people: PersonTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  services: ServiceTable;
  incidents: IncidentTable;
  incidents_fts: IncidentFtsTable;
  timeline_entries: TimelineEntryTable;
  events: EventTable;
}

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repositories take either a connection or a transaction as their first argument. */
export type Executor = Kysely<DB> | Transaction<DB>;
