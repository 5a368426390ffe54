import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const KDAMONDS = '/sys/kernel/mm/damon/admin/kdamonds';

/**
 * Whether the kernel pages out file pages that look cold, and which: a DAMON scheme does so on
 * the machines these figures come from (docs/BENCHMARKS.md, "The kernel's page-out"). It samples one page
 * per region of physical memory every `sample_us`; a region whose pages were seen accessed in at
 * most `nr_accesses/max` samples per aggregation interval, for `age/min` intervals, is paged
 * out. A page read with pread(2) now and then, as a GET reads one of a million calls' views,
 * looks cold to it; where the scheme excludes mapped pages, a memory-mapped file (the lookup
 * limit's) keeps its pages. Undefined where no such scheme runs or the files cannot be read.
 */
export function pageOutScheme(): string | undefined {
  try {
    for (const kdamond of readdirSync(KDAMONDS).filter((name) => /^\d+$/.test(name))) {
      const dir = join(KDAMONDS, kdamond);
      if (read(dir, 'state') !== 'on') continue;
      const context = join(dir, 'contexts', '0');
      const sampleUs = Number(read(context, 'monitoring_attrs/intervals/sample_us'));
      const aggregateUs = Number(read(context, 'monitoring_attrs/intervals/aggr_us'));
      for (const scheme of readdirSync(join(context, 'schemes')).filter((name) => /^\d+$/.test(name))) {
        const at = join(context, 'schemes', scheme);
        if (read(at, 'action') !== 'pageout') continue;
        const minAge = Number(read(at, 'access_pattern/age/min'));
        const maxAccesses = Number(read(at, 'access_pattern/nr_accesses/max'));
        const samples = Math.round(aggregateUs / sampleUs);
        return (
          `the kernel's DAMON (kdamond ${kdamond}, ${read(context, 'operations')}) pages out ${pagesOf(at)} ` +
          `seen accessed in at most ${maxAccesses} of ${samples} samples per ${aggregateUs / 1e6} s for ` +
          `${(minAge * aggregateUs) / 1e6} s`
        );
      }
    }
  } catch {
    // No DAMON, or not readable here: nothing to report.
  }
  return undefined;
}

/** Which pages the scheme's filters leave it: "file pages that no process maps" on these machines. */
function pagesOf(scheme: string): string {
  const filters = join(scheme, 'ops_filters');
  const allowed = new Set<string>();
  const rejected = new Set<string>();
  for (let i = 0; i < Number(read(filters, 'nr_filters')); i += 1) {
    const type = `${read(filters, `${i}/matching`) === 'Y' ? '' : 'not '}${read(filters, `${i}/type`)}`;
    (read(filters, `${i}/allow`) === 'Y' ? allowed : rejected).add(type);
  }
  const noun = rejected.has('anon') ? 'file pages' : 'pages';
  const others = [...allowed].filter((t) => t !== 'unmapped').map((t) => `${t} allowed`);
  others.push(...[...rejected].filter((t) => t !== 'anon').map((t) => `${t} rejected`));
  return `${noun}${allowed.has('unmapped') ? ' that no process maps' : ''}${others.length > 0 ? ` (filters: ${others.join(', ')})` : ''}`;
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8').trim();
}
