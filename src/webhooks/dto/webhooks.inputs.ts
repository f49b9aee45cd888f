import { ArgsType, Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { EVENT_TYPE_NAMES } from '../../events/event-types.js';
import { WebhookDeliveryStatus } from '../models/webhook-enums.js';

const URL_DESCRIPTION =
  'Where deliveries are POSTed: http or https, at most 2048 characters, no credentials; its host must resolve to public addresses only (URL_NOT_ALLOWED otherwise).';
const TYPES_DESCRIPTION = `The event types to receive, 1 to ${EVENT_TYPE_NAMES.length}, each one of docs/api.md "Events" (UNKNOWN_EVENT_TYPE otherwise).`;

/** An omitted field is left as it is; an explicit null is validated, and refused. */
const present = (_: object, value: unknown): boolean => value !== undefined;

@InputType({ description: 'A new webhook endpoint of the calling partner app.' })
export class CreateWebhookEndpointInput {
  @Field({ description: URL_DESCRIPTION })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url: string;

  @Field(() => [String], { description: TYPES_DESCRIPTION })
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  types: string[];

  @Field({ nullable: true, description: 'A note for the owner, at most 200 characters.' })
  @IsOptional()
  @MaxLength(200)
  description?: string;
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @GlobalIdInput('WebhookEndpoint', { description: 'The endpoint to change.' })
  @IsDatabaseId()
  endpointId: string;

  @Field({ nullable: true, description: URL_DESCRIPTION })
  @ValidateIf(present)
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url?: string;

  @Field(() => [String], { nullable: true, description: TYPES_DESCRIPTION })
  @ValidateIf(present)
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  types?: string[];

  @Field({ nullable: true, description: 'A note for the owner, at most 200 characters.' })
  @ValidateIf(present)
  @IsString()
  @MaxLength(200)
  description?: string;

  @Field({
    nullable: true,
    description:
      'False stops deliveries (they wait, and new events keep being queued); true resumes them, in order, from where they stopped, and forgets past failures.',
  })
  @ValidateIf(present)
  @IsBoolean()
  enabled?: boolean;
}

@InputType({ description: 'A webhook endpoint to act on.' })
export class WebhookEndpointInput {
  @GlobalIdInput('WebhookEndpoint', { description: 'The endpoint.' })
  @IsDatabaseId()
  endpointId: string;
}

@InputType({ description: 'A delivery to send again.' })
export class RedeliverWebhookInput {
  @GlobalIdInput('WebhookDelivery', { description: 'The delivery to repeat: its event, with the same webhook-id.' })
  @IsDatabaseId()
  deliveryId: string;
}

@ArgsType()
export class WebhookEndpointsArgs {
  @GlobalIdInput('PartnerApp', {
    nullable: true,
    description: "The app whose endpoints to list: a coordinator's or admin's choice; omitted, the calling app's own.",
  })
  @IsOptional()
  @IsDatabaseId()
  partnerAppId?: string;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @GlobalIdInput('WebhookEndpoint', { description: 'The endpoint whose deliveries to list.' })
  @IsDatabaseId()
  endpointId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this state.' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;
}
