import { Module } from '@nestjs/common';
import { AccessPolicy } from './access.policy.js';
import { AccessRepository } from './access.repository.js';
import { RateLimitRepository } from './rate-limit.repository.js';
import { RateLimiter } from './rate-limiter.service.js';

@Module({
  providers: [AccessRepository, AccessPolicy, RateLimitRepository, RateLimiter],
  exports: [AccessPolicy, RateLimiter],
})
export class AccessModule {}
