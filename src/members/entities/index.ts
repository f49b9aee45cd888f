import { InvitationEntity } from './invitation.entity.js';
import { MembershipEntity } from './membership.entity.js';

export const MEMBER_ENTITIES = [MembershipEntity, InvitationEntity];
