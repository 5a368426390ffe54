import type { KyselyPlugin } from 'kysely';

/** A Kysely plugin counting the statements sent through it: "this costs no store query". */
export function queryCounter(): { plugin: KyselyPlugin; readonly count: number } {
  let count = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        count += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    get count() {
      return count;
    },
  };
}
