import { Transfer } from './models/ledger.models.js';

/**
 * Who may reverse a transfer, and force one past the accounts' limits. The ledger asks this hook
 * before every reversal. Until identity exists there is no caller to tell apart, so the provided
 * policy lets every reversal through; the identity work binds REVERSAL_PERMISSION to a policy
 * that allows coordinators of the transfer's community only.
 */
export interface ReversalPermission {
  mayReverse(transfer: Transfer, force: boolean): Promise<boolean>;
}

export const REVERSAL_PERMISSION = Symbol('REVERSAL_PERMISSION');

export const reversalOpenToAll: ReversalPermission = {
  mayReverse: () => Promise.resolve(true),
};
