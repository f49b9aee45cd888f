import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { ConsentPages } from './consent-pages.js';
import { OAuthAccessService } from './oauth-access.service.js';
import { OAuthPayloadSweeper } from './oauth-payload.sweeper.js';
import { OAuthServer } from './oauth-server.js';
import { OAuthRepository } from './oauth.repository.js';
import { OAuthResolver, ViewerCommunityResolver } from './oauth.resolver.js';
import { PartnerAccessService } from './partner-access.service.js';

/** OAuth 2.1 for partner apps acting for members: the authorization server, its pages, the API's side of its tokens. */
@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, IdentityModule],
  providers: [
    OAuthRepository,
    OAuthServer,
    ConsentPages,
    OAuthAccessService,
    PartnerAccessService,
    OAuthResolver,
    ViewerCommunityResolver,
    OAuthPayloadSweeper,
  ],
  exports: [OAuthAccessService, PartnerAccessService],
})
export class OAuthModule {}
