import { randomBytes } from 'node:crypto';
import { CommunitiesService, DEFAULT_POLICIES } from '../communities/communities.service.js';
import { MembersService } from '../members/members.service.js';
import { MembershipRole } from '../members/models/member-enums.js';
import { ExchangesService } from '../exchanges/exchanges.service.js';
import { ListingsService } from '../listings/listings.service.js';
import { actingAs, DemoActors, seedDemoExchanges } from './demo-exchanges.js';
import { announceFirstLogins, LoginsAudience } from './first-logins.js';

export const DEMO_COMMUNITY_SLUG = 'mapo-time-bank';
/** Seoul Time Bank's starter credit: 5 hours, in minutes. */
export const STARTER_GRANT_MINUTES = 300n;

interface DemoPerson {
  key: keyof DemoActors;
  email: string;
  displayName: string;
  district: string;
  skills: string[];
  languages: string[];
  role: MembershipRole;
}

const DEMO_PEOPLE: DemoPerson[] = [
  {
    key: 'coordinator',
    email: 'coordinator@mapo.example',
    displayName: 'Han Jiwoo',
    district: 'Mapo-gu',
    skills: ['mediation'],
    languages: ['ko', 'en'],
    role: MembershipRole.COORDINATOR,
  },
  {
    key: 'minji',
    email: 'minji@mapo.example',
    displayName: 'Kim Minji',
    district: 'Mapo-gu',
    skills: ['english tutoring'],
    languages: ['ko', 'en'],
    role: MembershipRole.MEMBER,
  },
  {
    key: 'jiho',
    email: 'jiho@mapo.example',
    displayName: 'Lee Jiho',
    district: 'Seodaemun-gu',
    skills: ['bicycle repair'],
    languages: ['ko'],
    role: MembershipRole.MEMBER,
  },
  {
    key: 'seoyeon',
    email: 'seoyeon@mapo.example',
    displayName: 'Park Seoyeon',
    district: 'Mapo-gu',
    skills: ['cooking', 'childcare'],
    languages: ['ko'],
    role: MembershipRole.MEMBER,
  },
  {
    key: 'hyun',
    email: 'hyun@mapo.example',
    displayName: 'Choi Hyun',
    district: 'Eunpyeong-gu',
    skills: ['computer help'],
    languages: ['ko', 'ja'],
    role: MembershipRole.MEMBER,
  },
];

/** A server admin, so that a new operator can manage the server without stopping it to run create-admin. */
const DEMO_ADMIN = { email: 'admin@mapo.example', displayName: 'Pumasi Admin' };

const newPassword = (): string => randomBytes(9).toString('base64url');
const loginLine = (role: string, email: string, password: string): string =>
  `  ${role.padEnd(11)} ${email.padEnd(26)} ${password}`;

/** What the seed writes through: the same services as the API. */
export interface DemoServices {
  communities: CommunitiesService;
  members: MembersService;
  listings: ListingsService;
  exchanges: ExchangesService;
}

/**
 * A small living community for newcomers: an HOUR currency counted in minutes, a coordinator and
 * four members, each approved with the starter grant, and their listings and exchanges in every
 * state, and a server admin. Passwords are generated and shown once (see announceFirstLogins), so no
 * well-known password ever exists. Runs once: a second start finds the community.
 */
export async function seedDemoCommunity(services: DemoServices, audience: LoginsAudience): Promise<boolean> {
  const { communities, members } = services;
  if (await communities.findBySlug(DEMO_COMMUNITY_SLUG)) return false;
  const community = await communities.createWithPolicies(
    {
      slug: DEMO_COMMUNITY_SLUG,
      name: 'Mapo Time Bank',
      currencyCode: 'HOUR',
      currencyName: 'Hour',
      currencySymbol: 'h',
      minorUnitsPerUnit: 60,
    },
    // A one-hour credit line, as e-Pumasi allowed members to go negative and repay by helping.
    { ...DEFAULT_POLICIES, starterGrant: STARTER_GRANT_MINUTES, defaultLowerLimit: -60n },
  );
  const credentials: string[] = [];
  const people: Partial<DemoActors> = {};
  for (const { key, ...person } of DEMO_PEOPLE) {
    const password = newPassword();
    const member = (await members.createMember({ ...person, password }))!;
    await members.admit(member.id, community.id, person.role);
    people[key] = actingAs(member.id);
    credentials.push(loginLine(person.role, person.email, password));
  }
  await seedDemoExchanges(community.id, people as DemoActors, services);
  const adminPassword = newPassword();
  await members.bootstrapAdmin(DEMO_ADMIN.email, adminPassword, DEMO_ADMIN.displayName);
  credentials.push(loginLine('admin', DEMO_ADMIN.email, adminPassword));
  announceFirstLogins(
    audience,
    `Seeded the demo community "${community.name}" (id ${community.id}). Demo logins`,
    credentials,
  );
  return true;
}
