import { webhookErrors } from './errors.js';
import {
  ForbiddenDestinationError,
  hostOf,
  urlProblem,
  vettedAddresses,
  type Resolver,
  type UrlPolicy,
} from './url-policy.js';

/** What checks a webhook URL: the policy, and the resolver used at save and at delivery. */
export interface WebhookTargets {
  policy: UrlPolicy;
  resolve: Resolver;
}

/** 422 for a URL the policy refuses, as written or as its name resolves now. */
export async function assertDeliverable(url: string, targets: WebhookTargets): Promise<void> {
  let problem = urlProblem(url, targets.policy);
  if (problem === undefined) {
    try {
      await vettedAddresses(hostOf(new URL(url)), targets.policy, targets.resolve);
    } catch (error) {
      // A name that does not resolve today may tomorrow; delivery checks again either way.
      if (error instanceof ForbiddenDestinationError) problem = error.message;
    }
  }
  if (problem !== undefined) throw webhookErrors.urlRefused(url, problem);
}
