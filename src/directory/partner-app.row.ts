import { PartnerScope } from '../access/actor.js';

/** A partner app as its row says, read by identity (its keys and consents) and OAuth (its clients). */
export interface PartnerAppRow {
  id: string;
  name: string;
  communityId: string;
  scopes: PartnerScope[];
  createdAt: Date;
  revokedAt: Date | null;
  redirectUris: string[];
  owner: string | null;
  websiteUrl: string | null;
  logoUrl: string | null;
  contactEmail: string | null;
}

export function toPartnerApp(row: Record<string, unknown>): PartnerAppRow {
  return {
    id: row.id as string,
    name: row.name as string,
    communityId: row.community_id as string,
    scopes: row.scopes as PartnerScope[],
    createdAt: row.created_at as Date,
    revokedAt: row.revoked_at as Date | null,
    redirectUris: row.redirect_uris as string[],
    owner: row.owner as string | null,
    websiteUrl: row.website_url as string | null,
    logoUrl: row.logo_url as string | null,
    contactEmail: row.contact_email as string | null,
  };
}
