import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../../libs/config/app-config.js';
import { databaseAnswers } from '../../libs/database/probe.js';

/** How long readiness waits for the database: short, since a probe that hangs tells a load balancer nothing. */
export const READINESS_TIMEOUT_MS = 1000;

/**
 * Liveness (`/health/live`: restart me if this fails) apart from readiness (`/health/ready`: send
 * me requests only while this succeeds). `/health` stays what it always was, readiness.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  /** 200 whenever the process answers HTTP; the database is not asked, as restarting the process would not cure it. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when the database answers within a second on a connection of its own (so busy requests do
   * not make it look down), 503 otherwise; no address or driver message in either.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database()]);
  }

  /** Readiness, as before /health/live and /health/ready existed: load balancers and scripts probe it. */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  private async database() {
    const session = this.indicators.check('database');
    return (await databaseAnswers(this.config.databaseUrl!, READINESS_TIMEOUT_MS))
      ? session.up()
      : session.down({ message: `no answer within ${READINESS_TIMEOUT_MS} ms` });
  }
}
