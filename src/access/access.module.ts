import { Module } from '@nestjs/common';
import { AccessPolicy } from './access.policy.js';
import { AccessRepository } from './access.repository.js';

@Module({
  providers: [AccessRepository, AccessPolicy],
  exports: [AccessPolicy],
})
export class AccessModule {}
