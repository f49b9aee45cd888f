import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { clientAddress } from './actor.js';
import type { Actor } from './actor.js';
import { RateLimiterService } from './rate-limiter.service.js';
import { RateLimit } from './rate-limits.js';

const RATE_LIMIT = 'pumasi:rate-limit';

/** Takes the resolver's rate limit before its arguments are validated or its service runs: a refused request does nothing. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiterService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.reflector.get<RateLimit>(RATE_LIMIT, context.getHandler());
    const { actor, req } = GqlExecutionContext.create(context).getContext<{ actor?: Actor; req: { ip?: string } }>();
    await this.limiter.take(limit, { address: clientAddress(req), actor });
    return true;
  }
}

/** Limits a mutation per client address and per account; say which limit in its description, with rateLimitNote. */
export const RateLimited = (limit: RateLimit): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(RATE_LIMIT, limit), UseGuards(RateLimitGuard));
