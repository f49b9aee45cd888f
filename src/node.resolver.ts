import { Query, Resolver } from '@nestjs/graphql';
import { ClientError, ErrorCode } from '../libs/graphql/error-code.js';
import { ANY_NODE, fromGlobalId, GlobalIdArg } from '../libs/graphql/global-id.js';
import { asNode, Node } from '../libs/graphql/node.js';
import { CurrentActor } from './access/actor.js';
import type { Actor } from './access/actor.js';
import { CommunitiesService } from './communities/communities.service.js';
import { ExchangesService } from './exchanges/exchanges.service.js';
import { IdentityService } from './identity/identity.service.js';
import { AuthorizedLedgerService } from './ledger/authorized-ledger.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { ListingsService } from './listings/listings.service.js';
import { MembersService } from './members/members.service.js';
import { PartnerAccessService } from './oauth/partner-access.service.js';
import { WebhooksService } from './webhooks/webhooks.service.js';

/** How many ids one `nodes` call may name. */
export const MAX_NODES = 100;

type NodeLoader = (actor: Actor, databaseId: string) => Promise<object | null | undefined>;

/** A refusal that means "not for you, or not there": `node` answers null, as Relay expects. */
const isDenial = (error: unknown): boolean =>
  error instanceof ClientError && (error.code === ErrorCode.FORBIDDEN || error.code === ErrorCode.NOT_FOUND);

/**
 * Relay's object identification: any Node by its global id. Each type is loaded through the very
 * service call its own query makes (`member(id:)`, `account(id:)`…), so the rules of who may see
 * what are written once; what that call would refuse, or not find, is null here.
 */
@Resolver()
export class NodeResolver {
  private readonly loaders: Record<string, NodeLoader>;

  constructor(
    authorizedLedger: AuthorizedLedgerService,
    ledger: LedgerService,
    communities: CommunitiesService,
    members: MembersService,
    listings: ListingsService,
    exchanges: ExchangesService,
    identity: IdentityService,
    partners: PartnerAccessService,
    webhooks: WebhooksService,
  ) {
    this.loaders = {
      Account: (actor, id) => authorizedLedger.findAccount(actor, id),
      Transfer: (actor, id) => authorizedLedger.findTransfer(actor, id),
      Currency: (_actor, id) => ledger.findCurrency(id),
      Community: (_actor, id) => communities.find(id),
      Member: (actor, id) => members.findMember(actor, id),
      Membership: (actor, id) => members.findMembership(actor, id),
      Listing: (actor, id) => listings.find(actor, id),
      Exchange: (actor, id) => exchanges.find(actor, id),
      ExchangeGroup: async (actor, id) => (await exchanges.findGroup(actor, id)).group,
      // The caller's own, as `sessions` and `partnerConsents` list them.
      Session: async (actor, id) => (await identity.sessions(actor)).find((session) => session.id === id),
      PartnerConsent: async (actor, id) => (await partners.consentsOf(actor)).find((consent) => consent.id === id),
      WebhookEndpoint: (actor, id) => webhooks.find(actor, id),
    };
  }

  @Query(() => Node, {
    nullable: true,
    description:
      'Any object by its global id (Relay), under the same rules as its own query (`member(id:)`, `account(id:)`…). ' +
      'Null when you may not see it, when it does not exist, and for an id that is not a global id of a Node type (bare database ids are not accepted here).',
  })
  node(@CurrentActor() actor: Actor, @GlobalIdArg(ANY_NODE, 'id', { description: 'A global id.' }) id: string) {
    return this.load(actor, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Several objects by their global ids, in the order asked, each as \`node(id:)\` answers it (null where it would be null). At most ${MAX_NODES} ids.`,
  })
  nodes(
    @CurrentActor() actor: Actor,
    @GlobalIdArg(ANY_NODE, 'ids', { list: true, description: `Global ids, at most ${MAX_NODES}.` }) ids: string[],
  ): Promise<(object | null)[]> {
    if (ids.length > MAX_NODES)
      throw new ClientError(ErrorCode.BAD_USER_INPUT, `ids may name at most ${MAX_NODES} objects`, {
        invalidFields: [{ field: 'ids', message: `at most ${MAX_NODES}` }],
      });
    return Promise.all(ids.map((id) => this.load(actor, id)));
  }

  private async load(actor: Actor, globalId: string): Promise<object | null> {
    const decoded = fromGlobalId(globalId);
    const loader = decoded && Object.hasOwn(this.loaders, decoded.typeName) ? this.loaders[decoded.typeName] : null;
    if (!decoded || !loader) return null;
    try {
      const found = await loader(actor, decoded.databaseId);
      return found ? asNode(decoded.typeName, found) : null;
    } catch (error) {
      if (isDenial(error)) return null;
      throw error;
    }
  }
}
