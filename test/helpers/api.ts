import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { assertMatchesReference } from './contract.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiOptions {
  /** The API key to send; the client's own when absent. */
  key?: string;
  headers?: Record<string, string>;
}

/**
 * The public API in process, as a client holding an API key calls it. Every error answer is
 * checked against the reference's error schemas, so no test can pass on a body Diga would not
 * send.
 */
export interface Api {
  request(method: Method, url: string, body?: object, options?: ApiOptions): Promise<LightMyRequestResponse>;
  get(url: string, options?: ApiOptions): Promise<LightMyRequestResponse>;
  post(url: string, body?: object, options?: ApiOptions): Promise<LightMyRequestResponse>;
  patch(url: string, body: object, options?: ApiOptions): Promise<LightMyRequestResponse>;
  delete(url: string, options?: ApiOptions): Promise<LightMyRequestResponse>;
}

export function api(app: FastifyInstance, key: string): Api {
  const request: Api['request'] = async (method, url, body, options = {}) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${options.key ?? key}`, ...options.headers },
      ...(body ? { payload: body } : {}),
    });
    if (response.statusCode >= 400) {
      const error = response.json();
      assertMatchesReference('detail' in error ? 'HTTPValidationError' : 'ErrorResponseSchema', error);
    }
    return response;
  };
  return {
    request,
    get: (url, options) => request('GET', url, undefined, options),
    post: (url, body, options) => request('POST', url, body, options),
    patch: (url, body, options) => request('PATCH', url, body, options),
    delete: (url, options) => request('DELETE', url, undefined, options),
  };
}
