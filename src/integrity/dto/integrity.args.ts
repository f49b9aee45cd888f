import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';

@ArgsType()
export class CheckpointsArgs extends PageArgs {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;
}

@ArgsType()
export class StatementProofArgs {
  @Field(() => ID)
  @IsDatabaseId()
  accountId: string;

  @Field(() => ID, { nullable: true, description: "A checkpoint of the account's currency; omitted, the latest." })
  @IsOptional()
  @IsDatabaseId()
  checkpointId?: string;
}
