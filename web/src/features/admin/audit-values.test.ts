import { describe, expect, it } from 'vitest';
import { changeInWords, dayRange, fieldLabel, shownChanges, valueInWords, type Words } from './audit-values.ts';

const texts: Record<string, string> = {
  'admin.sla.name': 'Nom',
  'admin.sla.organization': 'Organisation',
  'admin.users.role': 'Rôle',
  'admin.users.orgScope': 'Organisations servies',
  'admin.users.password': 'Mot de passe',
  'admin.role.manager': 'Responsable',
  'admin.role.agent': 'Agent',
  'admin.status.label': 'Statut',
  'admin.status.active': 'Actif',
  'admin.status.inactive': 'Désactivé',
  'admin.locale.label': 'Langue',
  'admin.locale.fr': 'Français',
  'admin.organizations.maturity': 'Niveau de maturité',
  'admin.maturity.3.name': 'Proactif',
  'admin.organizations.slaEnabled': 'SLA',
  'admin.organizations.sla.auto': 'Selon la maturité',
  'admin.organizations.sla.on': 'Activés',
};
const words: Words = {
  text: (key) => texts[key] ?? null,
  organization: (id) => ({ 1: 'ACME', 2: 'Globex' })[id] ?? null,
  yes: 'Oui',
  no: 'Non',
  none: 'Aucun',
  secret: 'modifié',
  changed: (field, from, to) => `${field} : ${from} → ${to}`,
  set: (field, value) => `${field} : ${value}`,
  special: (field, value) => (field === 'memberIds' && Array.isArray(value) ? value.map((id) => `user ${id}`).join(', ') : null),
};

describe('audit changes in words', () => {
  it.each([
    ['sla_policy', { field: 'name', from: 'Gold', to: 'Platinum' }, 'Nom : Gold → Platinum'],
    ['sla_policy', { field: 'orgId', from: null, to: 2 }, 'Organisation : Aucun → Globex'],
    ['user', { field: 'role', from: 'agent', to: 'manager' }, 'Rôle : Agent → Responsable'],
    ['user', { field: 'orgScope', from: [], to: [1, 2, 9] }, 'Organisations servies : Aucun → ACME, Globex, #9'],
    ['user', { field: 'password', from: '***', to: '***' }, 'Mot de passe : modifié'],
    ['user', { field: 'active', from: true, to: false }, 'Statut : Actif → Désactivé'],
    ['organization', { field: 'isProvider', from: false, to: true }, 'isProvider : Non → Oui'],
    ['user', { field: 'locale', from: null, to: 'fr' }, 'Langue : Aucun → Français'],
    ['organization', { field: 'maturityLevel', from: 2, to: 3 }, 'Niveau de maturité : 2 → Proactif'],
    ['identity_provider', { field: 'issuer', from: 'https://a', to: 'https://b' }, 'issuer : https://a → https://b'],
    ['organization', { field: 'slaEnabled', from: null, to: true }, 'SLA : Selon la maturité → Activés'],
    ['team', { field: 'memberIds', from: [1], to: [1, 2] }, 'memberIds : user 1 → user 1, user 2'],
    ['calendar', { field: 'holidays', from: [], to: [{ date: '2026-12-25', name: 'Noël' }] }, 'holidays : Aucun → [{"date":"2026-12-25","name":"Noël"}]'],
  ])('%s %j → %s', (type, change, text) => expect(changeInWords(change, type, words)).toBe(text));

  it('states the fields a record was created with', () => {
    expect(changeInWords({ field: 'name', to: 'Gold' }, 'sla_policy', words)).toBe('Nom : Gold');
    expect(changeInWords({ field: 'password', to: '***' }, 'user', words)).toBe('Mot de passe : modifié');
  });

  it('leaves out the empty fields a record was created with', () => {
    const changes = [{ field: 'name', to: 'A' }, { field: 'orgId', to: null }, { field: 'orgScope', to: [] }, { field: 'description', from: 'x', to: null }];
    expect(shownChanges(changes).map((c) => c.field)).toEqual(['name', 'description']);
  });

  it('falls back to the API name of a field without a label', () => {
    expect(fieldLabel('service', 'name', words)).toBe('name');
  });

  it('shortens long values', () => {
    expect(valueInWords('description', 'x'.repeat(500), words)).toHaveLength(120);
  });
});

describe('date filters', () => {
  it('covers whole days in the local time zone', () => {
    const { from, to } = dayRange('2026-03-01', '2026-03-02');
    expect(new Date(from!).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(to!).getTime()).toBe(new Date(2026, 2, 3).getTime());
  });

  it('ignores empty or partial dates', () => {
    expect(dayRange('', '2026-0')).toEqual({});
  });
});
