import { InvitationEntity } from './invitation.entity.js';
import { MemberEntity } from './member.entity.js';
import { MembershipEntity } from './membership.entity.js';

export const MEMBER_ENTITIES = [MemberEntity, MembershipEntity, InvitationEntity];
