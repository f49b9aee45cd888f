import { Module } from '@nestjs/common';
import { AccessPolicy } from './access.policy.js';
import { AccessRepository } from './access.repository.js';
import { RateLimitRepository } from './rate-limit.repository.js';
import { RateLimiterService } from './rate-limiter.service.js';

@Module({
  providers: [AccessRepository, AccessPolicy, RateLimitRepository, RateLimiterService],
  exports: [AccessPolicy, RateLimiterService],
})
export class AccessModule {}
