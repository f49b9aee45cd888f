import { ArgsType, Field, ObjectType } from '@nestjs/graphql';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { ResumeAfterField } from '../../events/dto/events.inputs.js';
import { Event } from '../../events/models/event.models.js';
import { Account, Transfer } from './ledger.models.js';

@ArgsType()
export class AccountActivityArgs {
  @GlobalIdInput('Account', { description: 'The account to follow: your own, or one you audit.' })
  @IsDatabaseId()
  accountId: string;

  @ResumeAfterField()
  after?: string;
}

/** How an activity reads what its fields show, when they are asked for. */
export interface ActivityReads {
  transfer(): Promise<Transfer>;
  account(): Promise<Account>;
}

/**
 * One account's activity, with what the subscriber's selection shows of it: the event is at hand,
 * and the transfer and the account are read only for a selection that names them (the balances
 * share the account's read). Most selections name a few fields, and every read is one per delivery.
 */
@ObjectType({
  description:
    'A change to one account: a transfer that posted to it, or a hold placed on it or released. Sent in the order of the events, each once.',
})
export class AccountActivity {
  @Field(() => Event, {
    description: 'The event, as the feed serves it (its id is what `after` takes on reconnection).',
  })
  readonly event: Event;

  private transferRead?: Promise<Transfer>;
  private accountRead?: Promise<Account>;

  private constructor(
    event: Event,
    private readonly reads: ActivityReads,
  ) {
    this.event = event;
  }

  /**
   * The activity, with what `fields` (the selection's) show read before it is sent: a read that
   * fails ends the subscription with the error, as any failure to present an event does, so that
   * the subscriber resumes from the event before it and misses nothing.
   */
  static async read(event: Event, reads: ActivityReads, fields: ReadonlySet<string>): Promise<AccountActivity> {
    const activity = new AccountActivity(event, reads);
    await Promise.all([
      fields.has('transfer') && activity.transfer(),
      ACCOUNT_FIELDS.some((field) => fields.has(field)) && activity.account(),
    ]);
    return activity;
  }

  transfer(): Promise<Transfer> {
    return (this.transferRead ??= this.reads.transfer());
  }

  account(): Promise<Account> {
    return (this.accountRead ??= this.reads.account());
  }
}

/** The fields shown from the account's one read. */
const ACCOUNT_FIELDS = ['account', 'balance', 'availableBalance'];
