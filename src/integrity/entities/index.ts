import { ChainEntryEntity } from './chain-entry.entity.js';
import { ChainHeadEntity } from './chain-head.entity.js';
import { ChainHorizonEntity } from './chain-horizon.entity.js';
import { CheckpointEntity } from './checkpoint.entity.js';

export const INTEGRITY_ENTITIES = [ChainEntryEntity, ChainHeadEntity, ChainHorizonEntity, CheckpointEntity];
