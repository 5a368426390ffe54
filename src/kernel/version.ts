import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function findVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      return (require(path) as { version: string }).version;
    } catch {
      // running from src/kernel/ (tsx) or dist/src/kernel/ (built): one of the two exists
    }
  }
  return '0.0.0';
}

export const VERSION = findVersion();
