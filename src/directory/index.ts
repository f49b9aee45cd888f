import { CommunityEntity } from './community.entity.js';
import { MemberEntity } from './member.entity.js';
import { PartnerAppEntity } from './partner-app.entity.js';

/**
 * The directory: who exists on this server. Communities, members and partner apps are the rows that
 * every domain points at (accounts, sessions, exchanges, the audit log), so they sit below all of
 * them and import nothing of theirs. What a community or a member may do lives in the domains above.
 */
export const DIRECTORY_ENTITIES = [CommunityEntity, MemberEntity, PartnerAppEntity];
