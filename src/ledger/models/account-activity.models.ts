import { ArgsType, Field, ObjectType } from '@nestjs/graphql';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
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

@ObjectType({
  description:
    'A change to one account: a transfer that posted to it, or a hold placed on it or released. Sent in the order of the events, each once.',
})
export class AccountActivity {
  @Field(() => Event, {
    description: 'The event, as the feed serves it (its id is what `after` takes on reconnection).',
  })
  event: Event;

  @Field(() => Transfer, { description: 'The transfer the event is about.' })
  transfer: Transfer;

  @Field(() => Account, { description: 'The account, as it stood when this was sent.' })
  account: Account;

  @Field(() => AmountScalar, {
    description:
      "The account's balance when this was sent: at or after this event (events that come in a burst may show the same figure; a posting's balanceAfter is exact to it).",
  })
  balance: bigint;

  @Field(() => AmountScalar, { description: 'What could still be spent when this was sent: balance - pendingDebits.' })
  availableBalance: bigint;
}
