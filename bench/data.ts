/**
 * Synthetic but realistic incident texts, in French and English, shared by the loader, the HTTP
 * scenarios and the raw-SQLite limit. Deterministic (seeded) so that runs are comparable.
 */

/** Mulberry32: a small, fast, seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const FR = {
  subjects: ['Écran noir', 'Imprimante bloquée', 'VPN déconnecté', 'Messagerie lente', 'Accès refusé', 'Poste très lent', 'Téléphone sans tonalité', 'Application ERP figée', 'Mot de passe expiré', 'Wi-Fi instable', 'Partage réseau inaccessible', 'Scanner hors ligne', 'Certificat expiré', 'Sauvegarde en échec', 'Badge refusé', 'Visioconférence coupée'],
  places: ['à Lyon', 'à Paris', 'à Nantes', 'à Bordeaux', 'au siège', 'en agence', 'en salle de réunion', "à l'accueil", 'au troisième étage', 'en télétravail'],
  details: [
    "L'utilisateur signale le problème depuis ce matin.",
    'Le redémarrage du poste ne change rien.',
    'Plusieurs collègues du service sont touchés.',
    "Message d'erreur affiché à l'ouverture de session.",
    'Le problème est apparu après la mise à jour de la nuit.',
    'Impossible de travailler, la clientèle attend.',
    'Cela arrive de façon intermittente, surtout en fin de journée.',
    "Le câble réseau a été vérifié, le voyant est allumé.",
  ],
};

const EN = {
  subjects: ['Black screen', 'Printer jammed', 'VPN disconnects', 'Slow e-mail', 'Access denied', 'Laptop very slow', 'Phone has no dial tone', 'ERP application frozen', 'Password expired', 'Unstable Wi-Fi', 'Network share unreachable', 'Scanner offline', 'Certificate expired', 'Backup failed', 'Badge rejected', 'Video call drops'],
  places: ['in London', 'in Manchester', 'at head office', 'in the branch', 'in meeting room B', 'at reception', 'on the third floor', 'working from home'],
  details: [
    'The user reports the problem since this morning.',
    'Rebooting the workstation does not help.',
    'Several colleagues in the department are affected.',
    'An error message is shown at sign-in.',
    'The problem started after the overnight update.',
    'Cannot work, customers are waiting.',
    'It happens intermittently, mostly late in the day.',
    'The network cable was checked and the link light is on.',
  ],
};

const PRODUCTS = ['outlook', 'teams', 'sap', 'sage', 'citrix', 'windows', 'macos', 'chrome', 'firefox', 'excel', 'sharepoint', 'onedrive', 'salesforce', 'zoom', 'fortinet', 'cisco', 'hp', 'canon', 'lenovo', 'dell'];

/** Words the full-text scenario searches for, from common (thousands of hits) to rare (a handful). */
export const SEARCH_QUERIES = [
  'imprimante', 'vpn', 'ecran noir', 'écran', 'printer jammed', 'outlook', 'citrix lyon', 'certificat', 'backup failed',
  'badge', 'wi-fi', 'sap figée', 'srv-par-017', 'srv-lon-142', 'pc-0042', 'pc-1234', 'err-40317', 'err-77777', 'teams visio',
  'mot de passe', 'password expired', 'scanner', 'sharepoint', 'onedrive',
];

export interface IncidentText {
  title: string;
  description: string;
}

/** A title and a description (~250 characters) in the organization's language, with hostnames and error codes. */
export function incidentText(random: () => number, locale: 'fr' | 'en'): IncidentText {
  const v = locale === 'fr' ? FR : EN;
  const host = `${pick(random, ['srv', 'pc', 'lap'])}-${pick(random, ['par', 'lyo', 'lon', 'nan'])}-${String(int(random, 0, 499)).padStart(3, '0')}`;
  const title = `${pick(random, v.subjects)} ${pick(random, v.places)} (${pick(random, PRODUCTS)})`;
  const description = [
    pick(random, v.details),
    pick(random, v.details),
    `${locale === 'fr' ? 'Poste' : 'Device'} ${host}, pc-${String(int(random, 0, 1999)).padStart(4, '0')}.`,
    `${locale === 'fr' ? 'Code erreur' : 'Error code'} ERR-${int(random, 10000, 99999)}.`,
  ].join(' ');
  return { title, description };
}
