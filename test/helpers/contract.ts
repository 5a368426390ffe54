import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { projectRoot } from './paths.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The seed's OpenAPI block (spec/get-call-by-id.openapi.json): the authoritative contract. */
export const seed = JSON.parse(readFileSync(join(projectRoot, 'spec', 'get-call-by-id.openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties?: object; required?: string[] }> };
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'seed', components: seed.components });

export type SeedSchema = 'CallResponse' | 'ErrorResponseSchema' | 'HTTPValidationError';

/** Throws, naming every violation, unless `body` is valid against the seed's schema `name`. */
export function assertMatchesSeed(name: SeedSchema, body: unknown): void {
  const validate = ajv.getSchema(`seed#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the seed`);
  if (!validate(body)) {
    throw new Error(`body does not match seed ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
  if (name === 'CallResponse') {
    // The seed lists every key a CallResponse has; a key it does not list is a contract change.
    const known = Object.keys(seed.components.schemas.CallResponse?.properties ?? {});
    const extra = Object.keys(body as object).filter((k) => !known.includes(k));
    if (extra.length > 0) throw new Error(`CallResponse has keys the seed does not: ${extra.join(', ')}`);
  }
}

/** The seed schema for a status code of GET /v1/call/{id}. */
export function schemaForStatus(status: number): SeedSchema {
  if (status === 200) return 'CallResponse';
  if (status === 422) return 'HTTPValidationError';
  return 'ErrorResponseSchema';
}

/** Diga's public OpenAPI subset (spec/diga-openapi-subset.json): the rest of the calls family. */
export const reference = JSON.parse(readFileSync(join(projectRoot, 'spec', 'diga-openapi-subset.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { operationId: string; tags: string[]; parameters?: unknown[]; responses: object }>
  >;
  components: { schemas: Record<string, unknown> };
};
ajv.addSchema({ $id: 'reference', components: reference.components });

/** Throws, naming every violation, unless `body` is valid against the reference's schema `name`. */
export function assertMatchesReference(name: string, body: unknown): void {
  const validate = ajv.getSchema(`reference#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the reference`);
  if (!validate(body)) {
    throw new Error(
      `body does not match reference ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`,
    );
  }
}
