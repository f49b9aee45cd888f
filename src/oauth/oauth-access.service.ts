import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { PartnerScope } from '../access/actor.js';
import type { MemberActor } from '../access/actor.js';
import { PresentedCredentials, rejectCredentials } from '../identity/identity.service.js';
import { OAUTH_TOKEN_LENGTH } from './oauth-server.js';
import { OAuthRepository } from './oauth.repository.js';

const OAUTH_BEARER = new RegExp(`^Bearer ([A-Za-z0-9_-]{${OAUTH_TOKEN_LENGTH}})$`);

/**
 * Requests made with an OAuth access token: the partner app acting for the member who approved
 * it, exactly as with its API key and X-Acting-For (the member's own rights, within the app's
 * community, never the member's identity nor a coordinator's rights), and only within the scopes
 * the member approved. Every request reads the token, the app and the consent again, so that a
 * withdrawn consent or a revoked app stops the token at once.
 */
@Injectable()
export class OAuthAccessService {
  constructor(private readonly repository: OAuthRepository) {}

  /** Null when the credentials hold no OAuth access token: sessions and API keys are the identity service's. */
  async authenticate(credentials: PresentedCredentials): Promise<MemberActor | null> {
    const token = credentials.authorization && OAUTH_BEARER.exec(credentials.authorization)?.[1];
    if (!token) return null;
    if (credentials.actingFor !== undefined)
      throw rejectCredentials('X-Acting-For needs a partner API key: an OAuth access token already names its member');
    const grant = await this.repository.accessTokenGrant(token);
    if (!grant) throw rejectCredentials('The access token is invalid, expired or revoked');
    const approved = grant.scope.split(' ').includes(PartnerScope.ACT_FOR_MEMBER);
    if (!approved || !grant.appActsForMembers)
      throw rejectCredentials('This access token grants no scope to act for its member', ErrorCode.FORBIDDEN);
    return {
      kind: 'member',
      memberId: grant.memberId,
      isAdmin: false,
      sessionId: null,
      viaPartnerAppId: grant.partnerAppId,
      withinCommunityId: grant.communityId,
    };
  }
}
