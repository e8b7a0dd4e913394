import type { Role } from '../../../contract/auth.ts';
import type { Locale } from '../../../contract/common.ts';

/**
 * The demo data set: a French MSP (the provider) looking after a Lyon hospital group, a Québec law firm and
 * a London logistics company. Names, addresses and numbers are fictitious (UK numbers use Ofcom's drama
 * range, North American ones 555-01xx).
 */

export const DEMO_PASSWORD = 'vigie-demo-2026';

export const PROVIDER = { name: 'Azimut Infogérance', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 3, domain: 'azimut-infogerance.fr' } as const;

export type OrgKey = 'ghrl' | 'lta' | 'twl';
export type TeamKey = 'desk' | 'network' | 'apps' | 'workplace' | 'infra';
export type ServiceKey =
  | 'email' | 'vpn' | 'erp' | 'wifi' | 'print' | 'phone' | 'workstation' | 'accounts' | 'video' | 'network' | 'servers'
  | 'dpi' | 'ged' | 'wms';

export interface DemoOrganization {
  key: OrgKey;
  name: string;
  code: string;
  locale: Locale;
  timezone: string;
  maturityLevel: number;
  domain: string;
  /** Share of the generated incidents. */
  weight: number;
  /** Where things break, with their preposition: « Pas de Wi-Fi {place} ». */
  places: string[];
  /** `[name, login?, locale?]`: people with a login are requesters on the portal. */
  people: [string, ('login' | 'org-login')?, Locale?][];
  phone(i: number): string;
  /** Came in at maturity level 1 and reached `maturityLevel` (SLAs included) this many days ago. */
  maturedDaysAgo?: number;
}

export const ORGANIZATIONS: DemoOrganization[] = [
  {
    key: 'ghrl',
    name: 'Groupe Hospitalier Rhône-Lumière',
    code: 'GHRL',
    locale: 'fr',
    timezone: 'Europe/Paris',
    maturityLevel: 3,
    domain: 'rhone-lumiere-sante.fr',
    weight: 130,
    places: [
      'en cardiologie', 'au secrétariat des urgences', 'au bloc opératoire B', 'à la pharmacie centrale', 'au 2e étage du bâtiment C',
      "à l'accueil des admissions", 'au laboratoire de biologie', 'en pédiatrie', 'sur le site de Villeurbanne', 'en salle de staff de radiologie',
      'au service des ressources humaines', 'en maternité',
    ],
    people: [
      ['Marie Lefèvre', 'login'], ['Philippe Garnier', 'login'], ['Nathalie Perrin', 'org-login'], ['Sylvie Bonnet'], ['Karim Haddad', 'login'],
      ['Élodie Fabre'], ['Jean-Luc Rousseau'], ['Aurélie Masson', 'login'], ['Christophe Blanc'], ['Sandrine Guérin'], ['Amélie Chevallier', 'login'],
      ['Patrick Morin'], ['Céline Giraud', 'login'], ['Mathieu André'], ['Laurence Mercier'], ['Yasmine Belkacem', 'login'], ['François Vidal'],
      ['Stéphanie Roche'], ['Nicolas Faure'], ['Hélène Barbier'], ['Julie Renard', 'login'], ['Olivier Dupuis'], ['Fatima Ouali'], ['Bernard Colin'],
    ],
    phone: (i) => `+33 4 72 11 ${String(20 + i).padStart(2, '0')} ${String(((i * 37) % 90) + 10)}`,
  },
  {
    key: 'lta',
    name: 'Lavoie Tremblay Avocats',
    code: 'LTA',
    locale: 'fr',
    timezone: 'America/Montreal',
    maturityLevel: 2,
    domain: 'lavoietremblay-avocats.ca',
    weight: 70,
    places: [
      'au bureau de Montréal (14e étage)', 'au bureau de Québec', 'en salle de conférence Saint-Laurent', 'à la réception', 'en salle du conseil',
      "dans l'aile des associés", 'au centre de documentation',
    ],
    people: [
      ['Geneviève Lavoie', 'org-login'], ['Étienne Tremblay', 'login'], ['Maude Bergeron', 'login'], ['Simon Côté'], ['Catherine Pelletier', 'login'],
      ['Louis-Philippe Gauthier'], ['Annie Bouchard'], ['Mathieu Ouellet', 'login'], ['Josée Morin'], ['Frédéric Lévesque'], ['Valérie Girard'],
      ['Kevin Nguyen', 'login', 'en'], ['Chantal Fortin'], ['Olivier Beaulieu', undefined, 'en'],
    ],
    phone: (i) => `+1 514 555-01${String(10 + i).padStart(2, '0')}`,
  },
  {
    key: 'twl',
    name: 'Thamesway Logistics Ltd',
    code: 'TWL',
    locale: 'en',
    timezone: 'Europe/London',
    maturityLevel: 2,
    maturedDaysAgo: 6,
    domain: 'thamesway-logistics.co.uk',
    weight: 100,
    places: [
      'at the Tilbury depot', 'at the Daventry hub', 'in the Croydon office', 'in bay 12 at Tilbury', 'at the transport planning desk',
      'in the Felixstowe yard office', 'at the Manchester cross-dock', 'in the goods-in area',
    ],
    people: [
      ['Sarah Mitchell', 'login'], ['David Thompson', 'org-login'], ['Rachel Hughes'], ['Michael Patel', 'login'], ['Laura Evans'], ['Tom Walsh'],
      ['Aisha Khan', 'login'], ['Gareth Jones'], ['Hannah Wright'], ['Chris Robinson', 'login'], ['Emma Clarke'], ['Daniel Murphy'], ['Sophie Marsh'],
      ['Ben Cooper', 'login'], ['Lucy Harrison'], ['Mark Davies'], ['Olivia Price'], ['Jack Wilson'], ['Anjali Mehta', 'login'], ['Kwame Mensah'],
    ],
    phone: (i) => `+44 20 7946 0${String(100 + i * 7).padStart(3, '0')}`,
  },
];

export const TEAMS: { key: TeamKey; name: string; description: string }[] = [
  { key: 'desk', name: 'Service Desk', description: 'Premier niveau : prise des appels, diagnostic, résolution au premier contact. / First line.' },
  { key: 'network', name: 'Network', description: 'LAN, WAN, Wi-Fi, VPN et téléphonie. / Networks, Wi-Fi, VPN and telephony.' },
  { key: 'apps', name: 'Applications', description: 'ERP, DPI, GED, WMS et messagerie. / Business applications and e-mail.' },
  { key: 'workplace', name: 'Workplace', description: 'Postes de travail, impression, visioconférence. / End-user devices and printing.' },
  { key: 'infra', name: 'Infrastructure', description: 'Serveurs, stockage, sauvegardes et annuaire. / Servers, storage, backups, directory.' },
];

export const SERVICES: { key: ServiceKey; name: string; description: string }[] = [
  { key: 'email', name: 'Messagerie / E-mail', description: 'Exchange Online, Outlook, boîtes partagées et listes de diffusion.' },
  { key: 'vpn', name: 'VPN / Accès distant', description: 'Accès distant au réseau interne (client VPN, authentification forte).' },
  { key: 'erp', name: 'ERP', description: 'Progiciel de gestion intégré : achats, comptabilité, facturation.' },
  { key: 'wifi', name: 'Wi-Fi', description: 'Réseaux sans fil internes et invités.' },
  { key: 'print', name: 'Impression / Printing', description: "Imprimantes, copieurs, imprimantes d'étiquettes et serveurs d'impression." },
  { key: 'phone', name: 'Téléphonie / Telephony', description: 'Téléphones fixes, softphones Teams, files d’appels.' },
  { key: 'workstation', name: 'Poste de travail / Workstation', description: 'PC fixes et portables, périphériques, logiciels bureautiques.' },
  { key: 'accounts', name: 'Comptes et accès / Accounts & access', description: 'Comptes Active Directory, mots de passe, droits sur les partages.' },
  { key: 'video', name: 'Visioconférence / Video conferencing', description: 'Salles équipées et Teams Rooms.' },
  { key: 'network', name: 'Réseau / Network', description: 'LAN, liens WAN et MPLS entre sites.' },
  { key: 'servers', name: 'Serveurs et stockage / Servers & storage', description: 'Serveurs, stockage, sauvegardes.' },
  { key: 'dpi', name: 'DPI – Dossier patient informatisé', description: 'Dossier patient, interfaces HL7 avec le laboratoire et la radiologie.' },
  { key: 'ged', name: 'GED – Gestion documentaire', description: 'Dossiers clients, gabarits et versions de documents.' },
  { key: 'wms', name: 'WMS – Warehouse management', description: 'Warehouse management system, handheld scanners and carrier labels.' },
];

export interface DemoStaff {
  name: string;
  role: Extract<Role, 'agent' | 'manager'>;
  teams: TeamKey[];
  /** Organizations served; empty means all. */
  scope: OrgKey[];
  locale: Locale;
  /** No password: a service account (the monitoring integration). */
  serviceAccount?: boolean;
}

export const STAFF: DemoStaff[] = [
  { name: 'Claire Morel', role: 'manager', teams: ['desk'], scope: [], locale: 'fr' },
  { name: 'James Whitaker', role: 'manager', teams: [], scope: ['twl'], locale: 'en' },
  { name: 'Isabelle Roy', role: 'manager', teams: [], scope: ['lta'], locale: 'fr' },
  { name: 'Julien Roux', role: 'agent', teams: ['desk'], scope: [], locale: 'fr' },
  { name: 'Sophie Lambert', role: 'agent', teams: ['desk', 'workplace'], scope: [], locale: 'fr' },
  { name: 'Nadia Benali', role: 'agent', teams: ['desk'], scope: ['ghrl'], locale: 'fr' },
  { name: 'Marc-André Gagnon', role: 'agent', teams: ['desk'], scope: ['lta'], locale: 'fr' },
  { name: 'Emily Carter', role: 'agent', teams: ['desk'], scope: ['twl'], locale: 'en' },
  { name: 'Thomas Girard', role: 'agent', teams: ['network'], scope: [], locale: 'fr' },
  { name: 'Oliver Bennett', role: 'agent', teams: ['network'], scope: ['twl'], locale: 'en' },
  { name: 'Camille Fontaine', role: 'agent', teams: ['apps'], scope: ['ghrl', 'lta'], locale: 'fr' },
  { name: 'Priya Shah', role: 'agent', teams: ['apps'], scope: ['twl'], locale: 'en' },
  { name: 'Antoine Mercier', role: 'agent', teams: ['apps'], scope: [], locale: 'fr' },
  { name: 'Léa Dubois', role: 'agent', teams: ['workplace'], scope: [], locale: 'fr' },
  { name: 'Hugo Lefebvre', role: 'agent', teams: ['workplace'], scope: ['ghrl'], locale: 'fr' },
  { name: 'Daniel Hughes', role: 'agent', teams: ['workplace'], scope: ['twl'], locale: 'en' },
  { name: 'Maxime Chevalier', role: 'agent', teams: ['infra', 'network'], scope: [], locale: 'fr' },
  { name: "Sean O'Brien", role: 'agent', teams: ['infra'], scope: ['twl'], locale: 'en' },
  { name: 'Supervision Centreon', role: 'agent', teams: [], scope: [], locale: 'fr', serviceAccount: true },
];

export type CalendarKey = 'paris' | 'montreal';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const yearly = (list: [string, string][]) => list.map(([date, name]) => ({ date: `2026-${date}`, name, recurring: true }));

/** Business calendars of the provider's SLAs. */
export const CALENDARS: { key: CalendarKey; name: string; timezone: string; hours: { day: number; start: string; end: string }[]; holidays: { date: string; name: string; recurring: boolean }[] }[] = [
  {
    key: 'paris',
    name: 'Heures ouvrées Azimut (Paris)',
    timezone: 'Europe/Paris',
    hours: [...weekdays('08:30', '12:30'), ...weekdays('13:30', '18:00')],
    holidays: yearly([['01-01', 'Jour de l’an'], ['05-01', 'Fête du travail'], ['05-08', 'Victoire 1945'], ['07-14', 'Fête nationale'], ['08-15', 'Assomption'], ['11-01', 'Toussaint'], ['11-11', 'Armistice'], ['12-25', 'Noël']]),
  },
  {
    key: 'montreal',
    name: 'Heures ouvrables Montréal',
    timezone: 'America/Montreal',
    hours: weekdays('08:00', '17:00'),
    holidays: yearly([['01-01', 'Jour de l’An'], ['06-24', 'Fête nationale du Québec'], ['07-01', 'Fête du Canada'], ['12-25', 'Noël']]),
  },
];

/**
 * SLA policies, adopted partway through the demo's history and applied to the incidents open then (whose
 * earlier ownership and pauses count): the shared standard first, a client's own contract later.
 */
export const SLA_POLICIES: { name: string; org: OrgKey | null; calendar: CalendarKey; daysAgo: number; pauseWhen: ('customer' | 'vendor' | 'change' | 'other')[]; targets: { priority: number; ttoMinutes: number; ttrMinutes: number }[] }[] = [
  {
    name: 'Standard Azimut',
    org: null,
    calendar: 'paris',
    daysAgo: 40,
    pauseWhen: ['customer'],
    targets: [
      { priority: 1, ttoMinutes: 30, ttrMinutes: 240 },
      { priority: 2, ttoMinutes: 60, ttrMinutes: 600 },
      { priority: 3, ttoMinutes: 240, ttrMinutes: 1800 },
      { priority: 4, ttoMinutes: 480, ttrMinutes: 4500 },
    ],
  },
  {
    name: 'Contrat Lavoie Tremblay',
    org: 'lta',
    calendar: 'montreal',
    daysAgo: 12,
    pauseWhen: ['customer', 'vendor'],
    targets: [
      { priority: 1, ttoMinutes: 20, ttrMinutes: 240 },
      { priority: 2, ttoMinutes: 60, ttrMinutes: 540 },
      { priority: 3, ttoMinutes: 180, ttrMinutes: 1620 },
      { priority: 4, ttoMinutes: 540, ttrMinutes: 4320 },
    ],
  },
];

/** The logins printed by `npm run demo`. */
export const DEMO_LOGINS = {
  manager: 'Claire Morel',
  agent: 'Julien Roux',
  requesterFr: 'Marie Lefèvre',
  requesterQc: 'Étienne Tremblay',
  requesterEn: 'Sarah Mitchell',
} as const;

/** An incident template; `{place}` is replaced by one of the organization's places. */
export interface IncidentTemplate {
  service: ServiceKey;
  team: TeamKey;
  impact: 1 | 2 | 3;
  urgency: 1 | 2 | 3 | 4;
  /** Raised by the monitoring integration (it may still be phoned in). */
  monitoring?: boolean;
  /** Only for these organizations (default: every organization of the template's language). */
  orgs?: OrgKey[];
  title: string;
  description: string;
  /** Resolution text for `fixed`. */
  fix: string;
  /** Resolution text for `workaround`. */
  workaround?: string;
  /** An internal note an agent would write while diagnosing. */
  note?: string;
}

export const TEMPLATES: Record<Locale, IncidentTemplate[]> = {
  fr: [
    {
      service: 'email', team: 'apps', impact: 3, urgency: 2,
      title: 'Outlook ne se connecte plus au serveur',
      description: "Depuis ce matin, Outlook affiche « Tentative de connexion… » et les nouveaux e-mails n'arrivent plus. Le webmail fonctionne.",
      fix: 'Profil Outlook recréé et cache OST reconstruit ; la synchronisation est revenue.',
      workaround: 'Utilisez le webmail (https://outlook.office.com) en attendant la reconstruction de votre profil.',
      note: 'Journal Outlook : erreurs 0x8004010F répétées, profil probablement corrompu.',
    },
    {
      service: 'email', team: 'apps', impact: 3, urgency: 2,
      title: "Boîte aux lettres pleine, envoi d'e-mails impossible",
      description: 'Message « Votre boîte aux lettres est pleine » : je ne peux plus envoyer de messages. Je reçois encore.',
      fix: "Quota porté à 100 Go et stratégie d'archivage automatique activée sur la boîte.",
      workaround: 'Nous avons déplacé les éléments supprimés vers l’archive en ligne ; l’envoi fonctionne à nouveau.',
    },
    {
      service: 'email', team: 'desk', impact: 3, urgency: 3,
      title: 'Facture fournisseur bloquée en quarantaine',
      description: "Un fournisseur nous dit avoir envoyé sa facture hier, je ne l'ai jamais reçue. Pouvez-vous vérifier la quarantaine ?",
      fix: "Message libéré de la quarantaine et domaine de l'expéditeur ajouté à la liste d'autorisation.",
    },
    {
      service: 'email', team: 'apps', impact: 2, urgency: 3,
      title: 'Calendrier partagé du service non visible {place}',
      description: "Le calendrier partagé n'apparaît plus dans Outlook pour l'équipe depuis la migration du week-end.",
      fix: "Droits de délégation rétablis sur la boîte partagée, le calendrier réapparaît après redémarrage d'Outlook.",
    },
    {
      service: 'vpn', team: 'network', impact: 3, urgency: 2,
      title: "VPN : échec d'authentification en télétravail",
      description: "Le client VPN affiche « Erreur 809 » puis « Échec de l'authentification ». Je suis en télétravail toute la semaine.",
      fix: 'Certificat machine expiré renouvelé ; la connexion VPN est rétablie.',
      workaround: "Accès temporaire par le bureau à distance web en attendant le renouvellement du certificat.",
      note: 'Certificat machine expiré depuis 3 jours, GPO d’auto-enrôlement non appliquée.',
    },
    {
      service: 'vpn', team: 'network', impact: 3, urgency: 3,
      title: 'Connexion VPN très lente depuis le domicile',
      description: "Les fichiers du lecteur réseau mettent plusieurs minutes à s'ouvrir quand je suis connecté au VPN.",
      fix: 'Le poste utilisait la passerelle de secours ; profil VPN corrigé pour la passerelle principale.',
    },
    {
      service: 'vpn', team: 'infra', impact: 1, urgency: 2, monitoring: true,
      title: 'Passerelle VPN vpn-gw-02 : CPU supérieur à 95 %',
      description: 'Alerte Centreon : CPU > 95 % depuis 15 minutes sur vpn-gw-02, 412 tunnels actifs.',
      fix: 'Service IKE redémarré et charge répartie sur le second nœud du cluster.',
      workaround: 'Nouvelles connexions redirigées vers vpn-gw-01 le temps de l’analyse.',
    },
    {
      service: 'wifi', team: 'network', impact: 2, urgency: 2,
      title: 'Pas de Wi-Fi {place}',
      description: "Aucun appareil n'arrive à se connecter au Wi-Fi depuis ce matin. Le réseau apparaît mais la connexion échoue.",
      fix: 'Borne Wi-Fi redémarrée et firmware mis à jour ; tous les appareils se reconnectent.',
      workaround: 'Une borne mobile a été installée en attendant le remplacement de la borne défectueuse.',
      note: 'Contrôleur Wi-Fi : borne AP-C2-04 en défaut PoE.',
    },
    {
      service: 'wifi', team: 'network', impact: 2, urgency: 3,
      title: 'Wi-Fi invités : la page de connexion ne s’affiche pas',
      description: "Nos visiteurs se connectent au réseau invités mais la page d'acceptation des conditions ne s'affiche jamais.",
      fix: 'Certificat du portail captif renouvelé.',
    },
    {
      service: 'print', team: 'workplace', impact: 2, urgency: 3,
      title: 'Imprimante {place} en « bourrage papier » permanent',
      description: "L'imprimante affiche un bourrage alors qu'il n'y a aucune feuille coincée. Nous imprimons sur l'imprimante de l'étage du dessous.",
      fix: "Rouleaux d'entraînement remplacés par le technicien du constructeur.",
    },
    {
      service: 'print', team: 'workplace', impact: 3, urgency: 4,
      title: 'Impossible d’imprimer en couleur depuis Word',
      description: 'Les documents sortent en noir et blanc même en choisissant « Couleur » dans les options.',
      fix: 'Pilote d’impression universel remplacé par le pilote constructeur ; la couleur est disponible.',
    },
    {
      service: 'print', team: 'infra', impact: 2, urgency: 2, monitoring: true,
      title: "Serveur d'impression PRINT-01 : spouleur arrêté",
      description: 'Alerte Centreon : service Spouleur d’impression arrêté sur PRINT-01, 37 travaux en attente.',
      fix: 'Spouleur redémarré, travaux corrompus purgés ; surveillance renforcée du service.',
    },
    {
      service: 'erp', team: 'apps', impact: 3, urgency: 2,
      title: 'ERP : « Session expirée » à chaque validation de commande',
      description: "Quand je valide un bon de commande, l'ERP affiche « Session expirée » et je perds ma saisie.",
      fix: 'Délai de session du serveur d’applications ERP corrigé après la mise à jour de la veille.',
      workaround: 'Enregistrer le bon en brouillon avant validation permet d’éviter la perte de saisie.',
    },
    {
      service: 'erp', team: 'apps', impact: 2, urgency: 2,
      title: "Les états de fin de mois ne se génèrent plus dans l'ERP",
      description: "La génération de l'état des immobilisations tourne sans fin. La clôture mensuelle est prévue vendredi.",
      fix: 'Index de la table des écritures reconstruit ; l’état se génère en 40 secondes.',
      note: 'Plan d’exécution dégradé depuis la montée de version, requête de plus de 20 min.',
    },
    {
      service: 'erp', team: 'apps', impact: 2, urgency: 2, monitoring: true,
      title: 'Traitement nocturne ERP en échec (EXPORT_COMPTA)',
      description: 'Le job EXPORT_COMPTA de 02 h 00 s’est terminé en erreur (code 12). Aucun fichier transmis à la comptabilité.',
      fix: 'Job relancé après correction du chemin de dépôt SFTP ; fichier transmis.',
    },
    {
      service: 'workstation', team: 'workplace', impact: 3, urgency: 2,
      title: 'Écran noir au démarrage du poste',
      description: 'Le PC démarre (voyant allumé, ventilateur) mais l’écran reste noir. Câbles vérifiés.',
      fix: 'Carte graphique défectueuse remplacée, poste opérationnel.',
      workaround: 'Poste de prêt installé et configuré en attendant la réparation.',
    },
    {
      service: 'workstation', team: 'desk', impact: 3, urgency: 3,
      title: 'PC très lent depuis la dernière mise à jour Windows',
      description: "Depuis la mise à jour de mardi, il faut plus de 5 minutes pour ouvrir une session et les applications se figent.",
      fix: 'Mise à jour défectueuse désinstallée et antivirus reconfiguré ; temps d’ouverture de session normal.',
      note: 'Analyse des performances : 100 % disque au démarrage, indexation + analyse antivirus complète.',
    },
    {
      service: 'workstation', team: 'desk', impact: 3, urgency: 4,
      title: 'Clavier et souris sans fil ne répondent plus',
      description: 'Le clavier et la souris sans fil ne fonctionnent plus, même après changement des piles.',
      fix: 'Récepteur USB remplacé et appairé.',
    },
    {
      service: 'accounts', team: 'desk', impact: 3, urgency: 2,
      title: 'Compte Windows verrouillé',
      description: 'Impossible de me connecter, message « Le compte référencé est actuellement verrouillé ».',
      fix: 'Compte déverrouillé ; l’ancien mot de passe enregistré sur le téléphone provoquait le verrouillage et a été supprimé.',
    },
    {
      service: 'accounts', team: 'desk', impact: 3, urgency: 3,
      title: 'Mot de passe expiré, impossible de le changer à distance',
      description: 'Mon mot de passe a expiré pendant mes congés, je ne peux pas le changer depuis la maison.',
      fix: 'Mot de passe réinitialisé par téléphone après vérification d’identité ; changement imposé à la prochaine connexion.',
    },
    {
      service: 'accounts', team: 'infra', impact: 3, urgency: 3,
      title: 'Accès refusé au lecteur partagé S:',
      description: "Depuis mon changement de service, j'obtiens « Accès refusé » sur le dossier de l'équipe.",
      fix: 'Compte ajouté au groupe de sécurité du service ; accès fonctionnel après reconnexion.',
    },
    {
      service: 'phone', team: 'network', impact: 3, urgency: 3,
      title: 'Téléphone fixe sans tonalité {place}',
      description: 'Le poste téléphonique affiche « Enregistrement… » en permanence, pas de tonalité.',
      fix: 'Port du commutateur réaffecté au VLAN voix ; le téléphone s’enregistre.',
    },
    {
      service: 'phone', team: 'network', impact: 2, urgency: 2,
      title: 'Teams : les appels entrants ne sonnent pas',
      description: 'Les appelants entendent la sonnerie mais rien ne sonne chez nous, ni dans Teams ni sur le casque.',
      fix: 'Stratégie d’appel Teams corrigée pour le groupe ; appels entrants rétablis.',
    },
    {
      service: 'video', team: 'workplace', impact: 3, urgency: 3,
      title: "L'écran de visioconférence ne détecte pas le PC {place}",
      description: "En branchant le câble HDMI de la table, l'écran affiche « Aucun signal ». Réunion importante demain matin.",
      fix: 'Câble HDMI de table défectueux remplacé.',
    },
    {
      service: 'servers', team: 'infra', impact: 2, urgency: 2, monitoring: true,
      title: 'Espace disque critique sur le serveur de fichiers FS-02 (96 %)',
      description: 'Alerte Centreon : volume E: à 96 % sur FS-02, seuil critique 95 %.',
      fix: 'Fichiers temporaires purgés et volume étendu de 200 Go.',
      note: 'Croissance anormale : dossier de scans dupliqués par un copieur mal configuré.',
    },
    {
      service: 'network', team: 'network', impact: 1, urgency: 2, monitoring: true,
      title: 'Lien WAN {place} : perte de paquets supérieure à 10 %',
      description: 'Alerte Centreon : perte de paquets de 12 % et latence de 180 ms sur le lien WAN.',
      fix: "Équipement de l'opérateur remplacé ; lien stable depuis 24 h.",
      workaround: 'Trafic basculé sur le lien 4G de secours.',
    },
    {
      service: 'servers', team: 'infra', impact: 2, urgency: 3, monitoring: true,
      title: 'Sauvegarde nocturne en échec sur SRV-APP-03',
      description: 'Veeam : la sauvegarde de SRV-APP-03 a échoué (snapshot VSS impossible).',
      fix: 'Rédacteurs VSS réinitialisés ; sauvegarde relancée avec succès.',
    },
    // Groupe Hospitalier Rhône-Lumière
    {
      service: 'dpi', team: 'apps', impact: 2, urgency: 1, orgs: ['ghrl'],
      title: 'DPI : lenteurs importantes à l’ouverture des dossiers patients',
      description: "L'ouverture d'un dossier patient prend plus d'une minute. Les soignants ne peuvent pas consulter les prescriptions.",
      fix: 'Serveur applicatif du DPI saturé en mémoire redémarré et paramètres de cache corrigés avec l’éditeur.',
      workaround: 'Basculement des postes sur le second serveur applicatif.',
      note: 'Éditeur contacté (ticket 88412). Mémoire JVM à 98 % sur dpi-app-01.',
    },
    {
      service: 'print', team: 'workplace', impact: 2, urgency: 2, orgs: ['ghrl'],
      title: 'Impossible d’imprimer les étiquettes patients {place}',
      description: "L'imprimante d'étiquettes Zebra n'imprime plus les étiquettes d'identification des prélèvements.",
      fix: 'Imprimante d’étiquettes réinstallée et calibrée ; étiquettes conformes.',
    },
    {
      service: 'wifi', team: 'network', impact: 3, urgency: 2, orgs: ['ghrl'],
      title: 'Chariot de soins : le PC portable ne se connecte plus au Wi-Fi',
      description: 'Le PC du chariot de soins perd le Wi-Fi dans le couloir et ne se reconnecte pas. Saisie des constantes impossible.',
      fix: 'Pilote Wi-Fi mis à jour et itinérance rapide activée sur le poste.',
    },
    {
      service: 'accounts', team: 'desk', impact: 3, urgency: 2, orgs: ['ghrl'],
      title: 'Badge de connexion rapide non reconnu sur le poste infirmier',
      description: "Le lecteur de badge ne réagit plus, il faut saisir identifiant et mot de passe à chaque fois.",
      fix: 'Lecteur de badge remplacé et agent SSO réinstallé.',
    },
    {
      service: 'dpi', team: 'apps', impact: 1, urgency: 2, monitoring: true, orgs: ['ghrl'],
      title: 'Résultats de laboratoire non transmis au DPI (interface HL7)',
      description: 'Alerte : file HL7 LABO→DPI bloquée, 254 messages en attente depuis 40 minutes.',
      fix: 'Moteur d’interfaces redémarré, messages rejoués ; contrôle fait avec le laboratoire.',
    },
    // Lavoie Tremblay Avocats
    {
      service: 'ged', team: 'apps', impact: 3, urgency: 2, orgs: ['lta'],
      title: 'Impossible d’ouvrir un dossier client dans la GED',
      description: "Le dossier client 2024-0137 affiche « Document verrouillé par un autre utilisateur » alors que personne ne l'utilise.",
      fix: 'Verrou orphelin supprimé dans la GED ; le dossier s’ouvre normalement.',
    },
    {
      service: 'ged', team: 'apps', impact: 2, urgency: 3, orgs: ['lta'],
      title: 'Le gabarit de convention d’honoraires ne se charge plus dans Word',
      description: 'Le menu des gabarits du cabinet est vide dans Word depuis ce matin.',
      fix: 'Complément Word de la GED réactivé et chemin des gabarits corrigé par stratégie de groupe.',
    },
    {
      service: 'workstation', team: 'workplace', impact: 3, urgency: 3, orgs: ['lta'],
      title: 'Dictaphone numérique : les fichiers ne se synchronisent plus',
      description: "Les dictées enregistrées n'arrivent plus chez l'adjointe pour transcription.",
      fix: 'Logiciel de dictée mis à jour et dossier de dépôt réassocié.',
    },
    {
      service: 'erp', team: 'apps', impact: 2, urgency: 2, orgs: ['lta'],
      title: 'Saisie des temps : les heures ne s’enregistrent pas',
      description: "Dans le module de facturation, les heures saisies disparaissent à l'enregistrement. Fin de période de facturation vendredi.",
      fix: 'Correctif de l’éditeur appliqué sur le module de facturation.',
      workaround: 'Saisie des temps dans le fichier Excel de secours, importé ensuite par la comptabilité.',
    },
  ],
  en: [
    {
      service: 'email', team: 'apps', impact: 3, urgency: 2,
      title: 'Outlook keeps asking for my password',
      description: 'Outlook pops up a password prompt every few minutes and e-mails are not arriving. Webmail works fine.',
      fix: 'Cached credentials cleared and modern authentication re-enabled on the profile.',
      workaround: 'Please use webmail until we rebuild your Outlook profile.',
      note: 'Legacy auth prompt; registry key EnableADAL missing after the last update.',
    },
    {
      service: 'email', team: 'apps', impact: 2, urgency: 2,
      title: "Shared mailbox 'bookings@' not updating",
      description: 'The bookings shared mailbox stopped showing new e-mails around 10am. Customers say they have sent bookings.',
      fix: 'Shared mailbox permissions re-applied; Outlook caches refreshed.',
    },
    {
      service: 'email', team: 'desk', impact: 3, urgency: 3,
      title: 'Customer e-mails going to the junk folder',
      description: 'E-mails from one of our biggest customers land in Junk for the whole customer service team.',
      fix: "Customer's domain added to the allowed senders list.",
    },
    {
      service: 'vpn', team: 'network', impact: 3, urgency: 2,
      title: "Can't connect to the VPN from home – error 809",
      description: 'The VPN client fails with error 809. I am working from home today.',
      fix: 'Expired machine certificate renewed; VPN connects again.',
      workaround: 'Remote desktop gateway access granted until the certificate is renewed.',
    },
    {
      service: 'vpn', team: 'infra', impact: 1, urgency: 2, monitoring: true,
      title: 'VPN gateway vpn-lon-01 unreachable',
      description: 'Centreon alert: vpn-lon-01 not answering ICMP and IKE probes for 5 minutes.',
      fix: 'Gateway rebooted after a memory leak; firmware upgrade scheduled.',
      workaround: 'Users moved to the Paris gateway while we investigate.',
    },
    {
      service: 'wifi', team: 'network', impact: 2, urgency: 1,
      title: 'Handheld scanners dropping Wi-Fi {place}',
      description: 'Pickers lose the Wi-Fi connection every few minutes and have to re-scan. Outbound loading is slowing down.',
      fix: 'Access point channel plan corrected and two failing APs replaced.',
      workaround: 'Roaming threshold lowered on the scanners to reduce drops.',
      note: 'Controller shows co-channel interference on channels 1 and 6 near the racking.',
    },
    {
      service: 'wifi', team: 'network', impact: 2, urgency: 3,
      title: 'No Wi-Fi {place}',
      description: 'Nobody can connect to the staff Wi-Fi since this morning. The network is visible but it will not connect.',
      fix: 'Access point rebooted and firmware updated; devices reconnect.',
    },
    {
      service: 'print', team: 'workplace', impact: 2, urgency: 1,
      title: 'Label printer {place} printing blank labels',
      description: 'The Zebra printer feeds labels but nothing is printed on them. We cannot ship without carrier labels.',
      fix: 'Print head cleaned and ribbon replaced; labels print correctly.',
      workaround: 'Labels redirected to the spare printer at the next bay.',
    },
    {
      service: 'print', team: 'apps', impact: 2, urgency: 2,
      title: "Can't print delivery notes from the WMS",
      description: 'Printing a delivery note from the WMS does nothing. Other documents print fine.',
      fix: 'WMS print queue mapping restored after the print server migration.',
    },
    {
      service: 'print', team: 'workplace', impact: 3, urgency: 3,
      title: "Printer {place} shows 'offline'",
      description: "The printer shows as offline on every PC, although its screen says 'Ready'.",
      fix: 'Printer had picked up a new DHCP address; reservation created and port updated.',
    },
    {
      service: 'erp', team: 'apps', impact: 2, urgency: 2, monitoring: true,
      title: 'ERP: overnight invoice run failed',
      description: 'Job INVOICE_RUN ended in error at 03:10. No invoices were generated for yesterday’s deliveries.',
      fix: 'Job re-run after fixing a locked period; invoices generated and sent.',
    },
    {
      service: 'erp', team: 'apps', impact: 2, urgency: 3,
      title: 'ERP very slow when posting goods receipts',
      description: 'Posting a goods receipt takes about two minutes. Goods-in is building a backlog.',
      fix: 'Database statistics refreshed and a missing index added.',
      note: 'Long-running query on GRN_LINES; statistics are 3 weeks old.',
    },
    {
      service: 'erp', team: 'apps', impact: 3, urgency: 2,
      title: "Can't log in to the ERP – 'licence limit reached'",
      description: "I get 'licence limit reached' when logging in. I need to raise purchase orders before noon.",
      fix: 'Stale sessions released and idle timeout set to 30 minutes.',
    },
    {
      service: 'wms', team: 'apps', impact: 1, urgency: 2,
      title: 'WMS not receiving orders from the customer portal',
      description: 'No new orders have come through from the customer portal since 7am. Customers say the portal accepted them.',
      fix: 'Integration queue restarted and the 214 queued orders replayed.',
      note: 'Integration service stuck on an order with an invalid postcode.',
    },
    {
      service: 'wms', team: 'apps', impact: 2, urgency: 1,
      title: 'Pick lists not generating for the afternoon wave',
      description: 'The 14:00 wave has been released but no pick lists appear on the scanners.',
      fix: 'Wave release service restarted; pick lists generated.',
      workaround: 'Pick lists printed from the supervisor screen.',
    },
    {
      service: 'workstation', team: 'workplace', impact: 3, urgency: 2,
      title: "Laptop won't boot – BitLocker recovery screen",
      description: 'My laptop asks for a BitLocker recovery key every time I start it.',
      fix: 'Recovery key provided, TPM cleared and BitLocker protectors reset.',
    },
    {
      service: 'workstation', team: 'desk', impact: 3, urgency: 4,
      title: 'Second monitor not detected after docking',
      description: 'Since yesterday the second screen stays black when I plug my laptop into the dock.',
      fix: 'Dock firmware updated and display driver reinstalled.',
    },
    {
      service: 'video', team: 'workplace', impact: 3, urgency: 3,
      title: 'Teams crashes when sharing my screen',
      description: 'Teams closes as soon as I try to share my screen in a meeting.',
      fix: 'Teams cache cleared and the app reinstalled.',
    },
    {
      service: 'accounts', team: 'desk', impact: 3, urgency: 2,
      title: 'Account locked out after a password change',
      description: 'I changed my password this morning and now my account keeps locking.',
      fix: 'Account unlocked; the old password stored on the phone mail app was removed.',
    },
    {
      service: 'accounts', team: 'infra', impact: 3, urgency: 3,
      title: "New starter can't access the transport planning share",
      description: 'Our new planner starts today and gets access denied on the planning folder.',
      fix: 'User added to the planning security group.',
    },
    {
      service: 'phone', team: 'network', impact: 3, urgency: 3,
      title: 'Desk phone {place} has no dial tone',
      description: "The phone shows 'Registering' and there is no dial tone.",
      fix: 'Switch port moved to the voice VLAN; the phone registers.',
    },
    {
      service: 'phone', team: 'network', impact: 2, urgency: 1,
      title: 'Customer service call queue not ringing agents',
      description: 'Callers hear the welcome message then wait forever; none of our phones ring.',
      fix: 'Call queue agents list restored after a licence change.',
      workaround: 'Calls diverted to the supervisor’s mobile.',
    },
    {
      service: 'network', team: 'network', impact: 1, urgency: 2, monitoring: true,
      title: 'Switch sw-til-core-01 interface Gi1/0/24 down',
      description: 'Centreon alert: uplink Gi1/0/24 on sw-til-core-01 is down; traffic on the backup link.',
      fix: 'Faulty SFP module replaced; uplink back up.',
    },
    {
      service: 'network', team: 'network', impact: 1, urgency: 2, monitoring: true,
      title: 'High packet loss on the MPLS link {place}',
      description: 'Centreon alert: 15% packet loss and 200 ms latency on the MPLS link.',
      fix: 'Carrier replaced the faulty line card; link stable for 24 hours.',
      workaround: 'Traffic moved to the 4G backup router.',
    },
    {
      service: 'servers', team: 'infra', impact: 2, urgency: 2, monitoring: true,
      title: 'Disk space critical on SQL-PRD-02 (95%)',
      description: 'Centreon alert: the log volume L: is at 95% on SQL-PRD-02.',
      fix: 'Transaction log backups fixed and the log file shrunk.',
      note: 'Log backup job disabled since the maintenance window last Sunday.',
    },
    {
      service: 'video', team: 'workplace', impact: 3, urgency: 3,
      title: "Meeting room screen {place} won't show my laptop",
      description: "The meeting room screen says 'No signal' when I plug in the HDMI cable.",
      fix: 'Faulty HDMI cable replaced.',
    },
    {
      service: 'wms', team: 'apps', impact: 1, urgency: 2,
      title: 'Customer tracking portal shows an error 500',
      description: 'Several customers called: the tracking page shows "500 Internal Server Error".',
      fix: 'Application pool recycled and a faulty deployment rolled back.',
    },
  ],
};

/** What agents and requesters write, per language. `{ref}` is an incident reference. */
export const PHRASES = {
  fr: {
    ack: [
      'Bonjour, je prends en charge votre demande et reviens vers vous rapidement.',
      'Bonjour, nous avons bien reçu votre signalement ; un technicien analyse le problème.',
      'Merci pour votre appel. Je regarde cela et vous tiens informé(e) dans la matinée.',
      'Bonjour, pouvez-vous laisser votre poste allumé ? Je vais m’y connecter à distance.',
      'Bonjour, votre demande est prise en compte par notre équipe de niveau 2.',
    ],
    pending: {
      customer: [
        "Pouvez-vous nous envoyer une capture d'écran du message d'erreur ?",
        'Pourriez-vous nous indiquer un créneau où nous pouvons prendre la main sur votre poste ?',
        'Le problème se produit-il aussi sur un autre poste ? Merci de nous tenir au courant.',
        "Nous avons besoin du numéro d'inventaire (étiquette sous le poste) pour poursuivre.",
      ],
      vendor: [
        "Nous avons ouvert un ticket chez l'éditeur et attendons son retour.",
        "L'opérateur intervient sur la ligne ; nous vous tenons informé(e).",
        'Pièce commandée auprès du constructeur, livraison prévue sous 48 h.',
      ],
      change: [
        'Le correctif sera déployé lors de la prochaine fenêtre de maintenance (jeudi à 20 h).',
        'Un changement est planifié pour corriger définitivement le problème ; nous vous informerons de sa date.',
      ],
      other: [
        "En attente de l'intervention du technicien de proximité sur site.",
        "Nous attendons la validation de l'équipe sécurité avant de poursuivre.",
      ],
    },
    customerReply: [
      'Voici la capture d’écran demandée.',
      'Je suis disponible cet après-midi à partir de 14 h.',
      'Oui, même problème sur le poste de ma collègue.',
      'Le numéro d’inventaire est PC-0{n}.',
      'Vous pouvez prendre la main quand vous voulez, je laisse le poste allumé.',
    ],
    nudge: ['Bonjour, avez-vous du nouveau ? Cela bloque toute l’équipe.', 'Une idée du délai ? Merci.', 'Le problème persiste, pouvez-vous regarder en priorité ?'],
    notes: [
      'Vérifié les journaux : erreurs récurrentes depuis 8 h 12.',
      'Prise en main à distance effectuée, le problème est reproductible.',
      'Voir procédure KB-0142 pour ce cas.',
      'Escaladé au niveau 2 après diagnostic de premier niveau.',
      'Contact pris avec le référent informatique du site.',
      'Même symptôme signalé la semaine dernière, vérifier si c’est lié.',
    ],
    resumeNote: {
      customer: 'Rappel de l’utilisateur, il nous a transmis les informations demandées.',
      vendor: "Retour de l'éditeur reçu, reprise du traitement.",
      change: 'Changement déployé pendant la fenêtre de maintenance, on vérifie.',
      other: 'Intervention sur site effectuée, reprise du traitement.',
    },
    thanks: ['Tout fonctionne, merci beaucoup !', 'C’est bon pour moi, merci pour la rapidité.', 'Confirmé, vous pouvez clore.'],
    reopen: ['Le problème est revenu ce matin.', 'Désolé, ça ne fonctionne toujours pas après redémarrage.', 'Le souci réapparaît par intermittence.'],
    reopenByPhone: ["L'utilisateur rappelle : le problème est revenu."],
    confirmedByPhone: ['Résolution confirmée par téléphone avec l’utilisateur.', 'L’utilisateur confirme que tout fonctionne ; clôture.'],
    resolution: {
      workaround: 'Contournement mis en place en attendant la correction définitive.',
      duplicate: 'Ce signalement fait doublon avec {ref}, déjà en cours de traitement ; le suivi se fait sur ce dernier.',
      no_fault_found: "Après vérification, aucun dysfonctionnement n'a été constaté de notre côté. N'hésitez pas à nous recontacter si le problème se reproduit.",
      user_error: 'Il s’agissait d’une erreur de manipulation ; nous avons rappelé la procédure et transmis la fiche pratique.',
      other: 'Il s’agit d’une demande de service plutôt que d’un incident ; elle a été transmise à l’équipe concernée.',
    },
    override: ['Patient en attente au bloc : impact direct sur les soins.', 'Demande de la direction, échéance réglementaire.', 'Associé en audience demain matin.'],
  },
  en: {
    ack: [
      "Hi, I've picked this up and will get back to you shortly.",
      "Thanks for reporting this; an engineer is looking into it now.",
      'Thanks for your call. I am on it and will update you this morning.',
      'Hi, could you leave your PC switched on? I will connect remotely.',
      'Hi, your incident is now with our second-line team.',
    ],
    pending: {
      customer: [
        'Could you send us a screenshot of the error message?',
        'When would be a good time for us to connect to your PC?',
        'Does this also happen on another PC? Please let us know.',
        'We need the asset tag (sticker under the laptop) to carry on.',
      ],
      vendor: [
        'We have raised a case with the vendor and are waiting for their answer.',
        'The carrier is working on the line; we will keep you posted.',
        'Replacement part ordered from the manufacturer, due within 48 hours.',
      ],
      change: [
        'The fix will be deployed in the next maintenance window (Thursday 8pm).',
        'A change is scheduled to fix this for good; we will confirm the date.',
      ],
      other: ['Waiting for the on-site engineer visit.', 'Waiting for sign-off from the security team before we carry on.'],
    },
    customerReply: [
      'Screenshot attached as requested.',
      'I am free this afternoon from 2pm.',
      'Yes, same thing on my colleague’s PC.',
      'The asset tag is TWL-LT-0{n}.',
      'Feel free to connect whenever, I will leave it on.',
    ],
    nudge: ['Hi, any news? The whole team is stuck.', 'Any idea how long this will take?', 'Still happening, could you look at it urgently?'],
    notes: [
      'Checked the logs: recurring errors since 08:12.',
      'Remote session done, issue reproduced.',
      'See KB-0142 for this one.',
      'Escalated to second line after first-line triage.',
      'Spoke to the site IT contact.',
      'Same symptom reported last week, check whether it is related.',
    ],
    resumeNote: {
      customer: 'User called back with the requested details.',
      vendor: 'Vendor answer received, resuming.',
      change: 'Change deployed in the maintenance window, checking.',
      other: 'On-site visit done, resuming.',
    },
    thanks: ['All working now, thanks a lot!', 'Fine for me, thanks for the quick fix.', 'Confirmed, you can close it.'],
    reopen: ['The problem came back this morning.', 'Sorry, still not working after a restart.', 'It keeps happening on and off.'],
    reopenByPhone: ['User called back: the problem is back.'],
    confirmedByPhone: ['User confirmed the fix on the phone.', 'Confirmed working with the user; closing.'],
    resolution: {
      workaround: 'Workaround in place until the permanent fix.',
      duplicate: 'This is a duplicate of {ref}, which we are already working on; updates will be posted there.',
      no_fault_found: 'We checked and found no fault on our side. Please get back to us if it happens again.',
      user_error: 'This was a usage issue; we walked through the procedure and sent the quick guide.',
      other: 'This is a service request rather than an incident; it has been passed to the right team.',
    },
    override: ['Trucks waiting at the gate: direct impact on deliveries.', 'Key customer escalation.', 'Month-end billing deadline.'],
  },
};

/** Major incidents: a parent with child reports from several people, told publicly as it goes. */
export interface MajorIncident {
  org: OrgKey;
  service: ServiceKey;
  team: TeamKey;
  /** Start, in days before now… */
  daysAgo: number;
  /** …at this local time of that day (default: `daysAgo` exactly). */
  localTime?: [number, number];
  /** `open`: still being worked when the demo starts. */
  outcome: 'closed' | 'resolved' | 'open';
  title: string;
  description: string;
  childTitles: string[];
  updates: string[];
  resolution: string;
}

export const MAJOR_INCIDENTS: MajorIncident[] = [
  {
    org: 'ghrl', service: 'email', team: 'apps', daysAgo: 19, localTime: [8, 40], outcome: 'closed',
    title: 'Messagerie indisponible sur l’ensemble des sites',
    description: 'Plus aucun envoi ni réception d’e-mails depuis 8 h 40 sur tous les sites du groupe. Outlook et webmail en erreur.',
    childTitles: ['Plus de mails depuis ce matin', 'Outlook : « impossible de se connecter »', 'Webmail inaccessible en pédiatrie', 'Les e-mails du laboratoire ne partent plus'],
    updates: [
      'Point de situation : la panne de messagerie est identifiée (connecteur de messagerie). Nos équipes travaillent au rétablissement ; prochain point à 10 h 30.',
      'Point de 10 h 30 : le certificat du connecteur a été renouvelé, les messages en attente commencent à être distribués.',
    ],
    resolution: 'Le certificat du connecteur de messagerie expiré a été renouvelé ; les messages en file ont tous été distribués. Une alerte d’expiration a été ajoutée.',
  },
  {
    org: 'twl', service: 'wms', team: 'apps', daysAgo: 4, localTime: [7, 55], outcome: 'resolved',
    title: 'WMS unavailable at the Tilbury depot',
    description: 'The warehouse management system is down for every user at Tilbury: scanners and desktop client show "Server not responding".',
    childTitles: ['Scanners not working in goods-in', 'WMS client frozen on the despatch desk', 'Cannot print loading lists'],
    updates: [
      'Update: we have identified a database failover issue on the WMS cluster and are restoring service. Next update in 30 minutes.',
      'Update: the WMS is back for desktop users; scanners are reconnecting over the next few minutes.',
    ],
    resolution: 'The WMS database cluster failed over after a storage fault; the primary node was repaired and service fully restored. A review is planned.',
  },
  {
    org: 'lta', service: 'vpn', team: 'network', daysAgo: 0.12, outcome: 'open',
    title: 'VPN inaccessible pour le personnel en télétravail',
    description: "Depuis environ deux heures, aucune connexion VPN n'aboutit ; le personnel en télétravail n'a plus accès aux dossiers.",
    childTitles: ['VPN ne se connecte plus', 'Impossible d’accéder à la GED de la maison', 'Erreur de connexion au VPN, audience à préparer'],
    updates: ["Point de situation : la panne touche la passerelle VPN principale ; l'opérateur est mobilisé. Prochain point dans une heure."],
    resolution: '',
  },
];
