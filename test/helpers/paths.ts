import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root, whether the tests run from test/ or from the build in dist/test/. */
export const projectRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) dir = dirname(dir);
  return dir;
})();

export const builtCli = join(projectRoot, 'bin', 'diga-api.js');
export const builtServer = join(projectRoot, 'dist', 'src', 'main.js');
