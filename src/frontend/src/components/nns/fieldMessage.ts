import { CanisterError, sameField, sentence } from '../../api/errors';

/**
 * The backend's refusal of one field, said as it says it. Neuron and NNS reasons are whole
 * instructions ("neuron 7 is private: in the NNS dapp …"), so the field's name is not put in
 * front of them as `fieldError` does for predicates like "must be at least 4 characters".
 */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (error instanceof CanisterError && error.info.kind === 'Invalid') {
    return sameField(error.info.field, field) ? sentence(error.info.reason) : undefined;
  }
  return undefined;
}
