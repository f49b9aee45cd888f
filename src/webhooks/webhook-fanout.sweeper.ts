import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { PartnerScope } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { EventsService } from '../events/events.service.js';
import type { Event } from '../events/models/event.models.js';
import { envelopeOf } from './webhook-envelope.js';
import { FanoutEndpoint, WebhooksRepository } from './webhooks.repository.js';

/** Events read per viewer and endpoint in one pass: a backlog is queued over several passes. */
const FEED_PAGE = 100;

/**
 * Queues, for each endpoint, the published events its app may see, of the types it asked for, in
 * position order: it reads them from the event feed as the app would (EventsService.after, the
 * one place that decides visibility), so an endpoint never receives what its app may not see.
 * An app with audit:read sees its community's events as an auditor; an app that acts for members
 * sees, for each member who consents now, what that member sees through it.
 */
@Injectable()
export class WebhookFanoutSweeper extends PeriodicSweep {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly events: EventsService,
    private readonly db: TransactionalConnection,
  ) {
    super({ everyMs: 500, batch: 20 });
  }

  /** Only once an endpoint looked behind does a transaction start: an idle tick is one query. */
  protected async sweepBatch(limit: number): Promise<number> {
    if (!(await this.repository.anyEndpointBehind())) return 0;
    return this.db.jobTransaction(async () => {
      const horizon = await this.repository.publishedHorizon();
      const endpoints = await this.repository.lockEndpointsBehind(horizon, limit);
      for (const endpoint of endpoints) await this.fanOut(endpoint, horizon);
      return endpoints.length;
    });
  }

  /**
   * Merges what each viewer sees after the endpoint's place. A viewer whose page came back full may
   * see more beyond its last event, so the endpoint moves only up to the lowest such end (and never
   * past `horizon`, read first: every position up to it was published before any viewer read).
   */
  private async fanOut(endpoint: FanoutEndpoint, horizon: bigint): Promise<void> {
    let through = horizon;
    const seen = new Map<string, Event>();
    for (const viewer of await this.viewersOf(endpoint)) {
      const page = await this.events.after(viewer, endpoint.afterPosition, { types: endpoint.types, limit: FEED_PAGE });
      if (page.length === FEED_PAGE) through = minimum(through, BigInt(page[page.length - 1].position));
      for (const event of page) seen.set(event.position, event);
    }
    const queued = [...seen.values()]
      .filter((event) => BigInt(event.position) <= through)
      .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1))
      .map((event) => ({ position: event.position, type: event.type, body: JSON.stringify(envelopeOf(event)) }));
    await this.repository.queueDeliveries(endpoint.id, queued, through);
  }

  /** Whom the app reads the feed as: itself as an auditor, or each member who lets it act for them. */
  private async viewersOf(endpoint: FanoutEndpoint): Promise<Actor[]> {
    const { partnerAppId, communityId } = endpoint;
    const scopes = endpoint.scopes as PartnerScope[];
    if (scopes.includes(PartnerScope.AUDIT_READ)) return [{ kind: 'partner', partnerAppId, communityId, scopes }];
    const members = await this.repository.consentingMembers(partnerAppId);
    return members.map((memberId) => ({
      kind: 'member',
      memberId,
      isAdmin: false,
      sessionId: null,
      viaPartnerAppId: partnerAppId,
      withinCommunityId: communityId,
    }));
  }
}

const minimum = (a: bigint, b: bigint): bigint => (a < b ? a : b);
