import { ApiError, errors, RequestValidationError } from '../../kernel/errors.js';
import { formatInstant, type Micros } from '../../kernel/time.js';

/** Every error the API keys resource answers with; codes and messages as Diga's reference names them. */
export const apiKeyErrors = {
  notFound: () => new ApiError(404, 'API_KEY_NOT_FOUND', 'Error from ApiKeyNotFoundException'),
  /** A restricted key acting on a key that may do more than it may. */
  keyBeyondOwnPermissions: (action: 'create' | 'change' | 'delete') =>
    errors.missingPermissions(`${action} an API key with permissions beyond its own`),
  /** A restricted key granting another key more than it may do itself. */
  grantBeyondOwnPermissions: () => errors.missingPermissions('give an API key permissions beyond its own'),
  /** A key that expires making or changing a key that would outlive it. */
  expiryBeyondOwn: (action: 'create' | 'change') =>
    errors.missingPermissions(`${action} an API key that expires after the key making the request`),
  /** A 422 as pydantic reports a failed validator on `expiry_date`. */
  expiryNotInFuture: (expiresAt: Micros) =>
    new RequestValidationError([
      {
        type: 'value_error',
        loc: ['body', 'expiry_date'],
        msg: 'Value error, expiry_date must be in the future',
        input: formatInstant(expiresAt),
      },
    ]),
} as const;
