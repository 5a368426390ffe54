import { createRuntimeToken } from '../domain/api-keys/credentials.js';
import { issueApiKey } from '../domain/api-keys/issue-api-key.js';
import { operator, operatorIn } from '../domain/api-keys/principal.js';
import { revokeApiKey } from '../domain/api-keys/revoke-api-key.js';
import { ApiError } from '../kernel/errors.js';
import { bootstrapEmptyStore, createProject } from '../domain/projects/projects.js';
import { formatInstant } from '../kernel/time.js';
import { canonicalUuid } from '../kernel/uuid.js';
import { DirectoryBlobStore } from '../store/blobs/directory-store.js';
import { fillDemo } from '../demo/fill-demo.js';
import { serveUntilSignal } from '../server.js';
import { UsageError } from './usage-error.js';
import { print, withStore, type Command } from './context.js';
import { decimal, dialSettingsChanges, parseExpiry, parsePermissions, requiredUuid, wholeNumber } from './arguments.js';
import { migrateToLatest } from '../store/migrate.js';
import { firstProject, findProject, updateDialSettings } from '../store/projects-repo.js';
import { dialSettingsOf } from '../domain/dialing/settings.js';
import { Simulator } from '../simulator/simulator.js';

export const commands: Record<string, Command> = {
  serve: async ({ config }) => {
    await serveUntilSignal(config);
    return 0;
  },

  migrate: (ctx) =>
    withStore(ctx, false, async (store) => {
      const { applied, current } = await migrateToLatest(store.db);
      return print(ctx, { applied, current: current ?? null }, () =>
        applied.length === 0
          ? `Store is up to date (${current ?? 'no migrations'}).`
          : `Applied ${applied.join(', ')}.`,
      );
    }),

  'projects create': (ctx) =>
    withStore(ctx, true, async (store) => {
      const name = ctx.args.join(' ').trim();
      if (!name) throw new UsageError('projects create needs a NAME');
      const project = await createProject(store.db, name);
      const out = { id: project.id, name: project.name, created_date: formatInstant(project.created_date) };
      return print(ctx, out, () => `Created project ${project.id} (${project.name}).`);
    }),

  'projects configure': (ctx) =>
    withStore(ctx, true, async (store) => {
      const id = canonicalUuid(ctx.args[0] ?? '');
      if (id === undefined) throw new UsageError('projects configure needs the project ID (a UUID)');
      if ((await findProject(store.db, id)) === undefined) throw new Error(`Project ${id} not found`);
      const changes = dialSettingsChanges(ctx.options);
      if (Object.keys(changes).length > 0) await updateDialSettings(store.db, id, changes);
      const settings = (await dialSettingsOf(store.db, [id], ctx.config.dialing)).get(id);
      const out = {
        id,
        max_concurrent_calls: settings?.maxConcurrentCalls,
        allowed_country_codes: settings?.allowedCountryCodes,
      };
      return print(
        ctx,
        out,
        () =>
          `Project ${id}: at most ${out.max_concurrent_calls} calls at once; calls to +${out.allowed_country_codes?.join(', +')}.`,
      );
    }),

  simulate: async (ctx) => {
    const server = ctx.options.server;
    if (typeof server !== 'string' || !/^https?:\/\//.test(server)) {
      throw new UsageError('simulate needs --server URL (http://host:port)');
    }
    const token = typeof ctx.options.token === 'string' ? ctx.options.token : process.env.DIGA_RUNTIME_TOKEN;
    if (!token) throw new UsageError('simulate needs --token (or DIGA_RUNTIME_TOKEN): a runtime token');
    const inboundPerMinute = decimal(ctx.options['inbound-per-minute'], 'inbound-per-minute', 0, 0, 100_000);
    const inboundPhone = ctx.options['inbound-phone'];
    if (inboundPerMinute > 0 && typeof inboundPhone !== 'string') {
      throw new UsageError('--inbound-per-minute needs --inbound-phone PHONE_ID, the phone that receives them');
    }
    const simulator = new Simulator({
      server,
      token,
      concurrency: wholeNumber(ctx.options.concurrency, 'concurrency', 10, 1, 10_000),
      speed: decimal(ctx.options.speed, 'speed', 1, 0.01, 10_000),
      answerRate: decimal(ctx.options['answer-rate'], 'answer-rate', 0.85, 0, 1),
      inboundPerMinute,
      inboundPhoneId: typeof inboundPhone === 'string' ? inboundPhone : undefined,
      maxCalls:
        ctx.options['max-calls'] === undefined
          ? undefined
          : wholeNumber(ctx.options['max-calls'], 'max-calls', 0, 1, 100_000_000),
      idleExitSeconds:
        ctx.options['idle-exit'] === undefined
          ? undefined
          : decimal(ctx.options['idle-exit'], 'idle-exit', 0, 0.1, 86_400),
      seed: ctx.options.seed === undefined ? undefined : wholeNumber(ctx.options.seed, 'seed', 0, 0, 2 ** 32 - 1),
      runtimeId: typeof ctx.options['runtime-id'] === 'string' ? ctx.options['runtime-id'] : `simulator-${process.pid}`,
      log: (record) =>
        ctx.io.out.write(
          ctx.json
            ? `${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`
            : `${new Date().toISOString()} ${Object.entries(record)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')}\n`,
        ),
    });
    ctx.io.err.write(`diga-api simulate: SIMULATED telephony, nothing is dialed. Claiming dial jobs from ${server}.\n`);
    let signals = 0;
    const onSignal = () => {
      signals += 1;
      if (signals > 1) process.exit(130);
      ctx.io.err.write('diga-api simulate: finishing the calls under way (again to quit now)\n');
      simulator.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const { finished } = await simulator.run();
      ctx.io.err.write(`diga-api simulate: ${finished} calls played.\n`);
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },

  'keys create': (ctx) =>
    withStore(ctx, true, async (store) => {
      const projectId = requiredUuid(ctx, 'project');
      const permissions = parsePermissions(ctx.options.permissions);
      const expiresAt = parseExpiry(ctx.options.expires);
      const name = typeof ctx.options.name === 'string' ? ctx.options.name : 'CLI key';
      const restricted = permissions !== null;
      const key = await issueApiKey(store.db, operatorIn(projectId), { name, restricted, permissions, expiresAt });
      const out = {
        id: key.id,
        name: key.name,
        value: key.value,
        last_four_digits: key.last_four_digits,
        project_id: projectId,
        restricted: key.restricted,
        permissions: key.permissions,
        expiry_date: expiresAt === null ? null : formatInstant(expiresAt),
      };
      return print(
        ctx,
        out,
        () => `Created API key ${key.id} for project ${projectId}. Its value, shown once:\n${key.value}`,
      );
    }),

  'keys revoke': (ctx) =>
    withStore(ctx, true, async (store) => {
      const id = canonicalUuid(ctx.args[0] ?? '');
      if (id === undefined) throw new UsageError('keys revoke needs the key ID (a UUID)');
      try {
        await revokeApiKey(store.db, operator, id);
      } catch (error) {
        if (!(error instanceof ApiError && error.statusCode === 404)) throw error;
        throw new Error(`API key ${id} not found or already revoked`);
      }
      return print(ctx, { id, revoked: true }, () => `Revoked API key ${id}.`);
    }),

  'runtime-tokens create': (ctx) =>
    withStore(ctx, true, async (store) => {
      const name = typeof ctx.options.name === 'string' ? ctx.options.name : 'CLI runtime token';
      const token = await createRuntimeToken(store.db, name);
      return print(ctx, token, () => `Created runtime token ${token.id}. Its value, shown once:\n${token.value}`);
    }),

  demo: (ctx) =>
    withStore(ctx, true, async (store) => {
      const calls = wholeNumber(ctx.options.calls, 'calls', 1000, 1, 10_000_000);
      const seed =
        ctx.options.seed === undefined ? undefined : wholeNumber(ctx.options.seed, 'seed', 0, 0, 2 ** 32 - 1);
      const created = await bootstrapEmptyStore(store.db);
      const projectId =
        typeof ctx.options.project === 'string' ? requiredUuid(ctx, 'project') : (await firstProject(store.db))?.id;
      if (projectId === undefined || (await findProject(store.db, projectId)) === undefined) {
        throw new Error(`Project ${String(projectId)} not found`);
      }
      const started = Date.now();
      const {
        events,
        recordings,
        sampleCallIds: sample,
      } = await fillDemo(store.db, new DirectoryBlobStore(ctx.config.recordingsDir), {
        projectId,
        calls,
        seed,
        recordings: wholeNumber(ctx.options.recordings, 'recordings', 200, 0, 10_000_000),
      });
      const seconds = (Date.now() - started) / 1000;
      const out = {
        project_id: projectId,
        calls,
        events,
        recordings,
        seconds,
        sample_call_ids: sample,
        ...(created ? { api_key: created.apiKey.value, runtime_token: created.runtimeToken.value } : {}),
      };
      return print(ctx, out, () =>
        [
          `Simulated ${calls} calls (${events} events, ${recordings} recordings) into project ${projectId} in ${seconds.toFixed(1)} s.`,
          ...(created ? [`The store was empty: created API key ${created.apiKey.value} (shown once).`] : []),
          'Some call ids:',
          ...sample.map((id) => `  ${id}`),
        ].join('\n'),
      );
    }),
};
