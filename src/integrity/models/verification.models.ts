import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { userErrorType } from '../../../libs/graphql/user-errors.js';
import { IntegrityErrorCode } from '../integrity.errors.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@ObjectType({ description: 'One check of the ledger: passed, or the first offending rows.' })
export class VerificationCheck {
  @Field({ description: 'What the check asserts, in words, for example "postings of each currency sum to zero".' })
  name: string;

  @Field({ description: 'True when no row breaks the rule.' })
  passed: boolean;

  @Field(() => [JSONObjectScalar], { description: 'Up to 10 rows that break the rule; empty when it passed.' })
  offendingRows: Record<string, unknown>[];
}

export enum VerificationTrigger {
  ON_DEMAND = 'on_demand',
  SCHEDULED = 'scheduled',
}
registerEnumType(VerificationTrigger, {
  name: 'VerificationTrigger',
  description: 'What started a verification run.',
  valuesMap: {
    ON_DEMAND: { description: 'An auditor asked for it with runLedgerVerification.' },
    SCHEDULED: { description: 'The server runs it for every community once an hour.' },
  },
});

@NodeType('VerificationRun', {
  idDescription: 'Names this run: pass it to closeVerificationAlert.',
  description: "A run of the ledger's invariant check over one community. A failed run is an alert until acknowledged.",
  node: false,
})
export class VerificationRun {
  id: string;

  @GlobalIdField('Community', { description: 'The community whose ledger was checked.' })
  communityId: string;

  @Field(() => VerificationTrigger, { description: 'Whether someone asked for the run or the schedule started it.' })
  trigger: VerificationTrigger;

  @GlobalIdField('Member', {
    nullable: true,
    description: 'The member who asked for the run; null for a scheduled one.',
  })
  requestedBy: string | null;

  @Field({ description: 'When the check began.' })
  startedAt: Date;

  @Field({ description: 'When the check ended.' })
  finishedAt: Date;

  @Field({ description: 'True when every check passed; false makes the run an alert until acknowledged.' })
  passed: boolean;

  @Field(() => [VerificationCheck], { description: 'Every check of the run, passed or not.' })
  checks: VerificationCheck[];

  @Field(() => Date, {
    nullable: true,
    description: 'When a coordinator closed the alert; null while it is open or when the run passed.',
  })
  acknowledgedAt: Date | null;

  @GlobalIdField('Member', {
    nullable: true,
    description: 'The member who closed the alert; null while it is open or when the run passed.',
  })
  acknowledgedBy: string | null;
}

@ObjectType({
  description:
    'Verification runs, newest first. No totalCount: runs are scheduled through every day, tens of thousands a year per community: a set without bound.',
})
export class VerificationRunConnection extends ConnectionType(VerificationRun, 'VerificationRun') {}

export const IntegrityUserError = userErrorType(
  IntegrityErrorCode,
  'IntegrityUserError',
  "Why a verification run, a checkpoint or an alert's acknowledgement was refused: nothing was changed.",
);
export type IntegrityUserError = InstanceType<typeof IntegrityUserError>;

@ObjectType({ description: 'A verification run, or why the action on it was refused.' })
export class VerificationRunPayload {
  @Field(() => VerificationRun, { nullable: true, description: 'The run, as stored. Null when refused.' })
  run: VerificationRun | null;

  @Field(() => [IntegrityUserError], { description: 'Empty when the action was done.' })
  userErrors: IntegrityUserError[];
}
