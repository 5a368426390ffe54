import { randomUUID } from 'node:crypto';
import { toneWav } from '../demo/wav.js';
import { mulberry32, newContact } from '../demo/simulate-calls.js';
import type { RuntimeEvent } from '../contract/events.js';
import type { ClaimedJob } from '../domain/dialing/dial-jobs.js';
import { formatInstant } from '../kernel/time.js';
import { callScript, type CallScript } from './call-script.js';
import { RuntimeClient, sleep } from './runtime-client.js';

export interface SimulatorOptions {
  server: string;
  token: string;
  /** Calls in progress at once; claims take only what fits. */
  concurrency: number;
  /** Simulated seconds per real second: 10 plays a one-minute call in six seconds. */
  speed: number;
  answerRate: number;
  /** Inbound calls started per (real) minute on `inboundPhoneId`; 0: none. */
  inboundPerMinute: number;
  inboundPhoneId?: string;
  /** Stop once this many calls have finished. */
  maxCalls?: number;
  /** Stop after this many seconds without a call to dial or play. */
  idleExitSeconds?: number;
  seed?: number;
  runtimeId: string;
  /** One record per thing that happened (claimed, confirmed, lease_lost, ended, error). */
  log: (record: Record<string, unknown>) => void;
}

/** Longest a claim waits for work before asking again. */
const CLAIM_WAIT_MS = 5000;

/**
 * A stand-in voice runtime: it claims dial jobs, confirms them, and reports what a telephony
 * stack would (ringing, answer or not, the conversation turn by turn, the recording, the end),
 * on a clock `speed` times faster than the wall's; it can also receive inbound calls. Nothing is
 * dialed: this simulates telephony, for demos, end-to-end tests and load tests.
 */
export class Simulator {
  private readonly client: RuntimeClient;
  private readonly random: () => number;
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private finished = 0;
  private lastWork = Date.now();

  constructor(private readonly options: SimulatorOptions) {
    this.client = new RuntimeClient(options.server.replace(/\/+$/, ''), options.token);
    this.random = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /** Runs until stop(), maxCalls or the idle timeout; calls under way are played to their end. */
  async run(): Promise<{ finished: number }> {
    const inbound = this.options.inboundPerMinute > 0 ? this.receiveInbound() : Promise.resolve();
    while (!this.done()) {
      const room = this.room();
      if (room <= 0) {
        await Promise.race([...this.active, sleep(1000)]);
        continue;
      }
      let jobs: ClaimedJob[];
      try {
        jobs = await this.client.claim(room, CLAIM_WAIT_MS, this.options.runtimeId);
      } catch (error) {
        this.options.log({ event: 'error', during: 'claim', message: (error as Error).message });
        await sleep(1000);
        continue;
      }
      for (const job of jobs) this.track(this.dial(job));
    }
    await inbound;
    await Promise.all(this.active);
    return { finished: this.finished };
  }

  stop(): void {
    this.stopping = true;
  }

  /** Calls that may start now: within the concurrency, and within maxCalls. */
  private room(): number {
    const left = (this.options.maxCalls ?? Infinity) - this.finished - this.active.size;
    return Math.min(this.options.concurrency - this.active.size, left);
  }

  private done(): boolean {
    return this.stopping || this.playedMaxCalls() || this.idleTooLong();
  }

  /** Every call `maxCalls` allows has been played to its end. */
  private playedMaxCalls(): boolean {
    return this.options.maxCalls !== undefined && this.finished >= this.options.maxCalls;
  }

  /** No call under way, and none claimed or finished for `idleExitSeconds`. */
  private idleTooLong(): boolean {
    const idle = this.options.idleExitSeconds;
    return idle !== undefined && this.active.size === 0 && Date.now() - this.lastWork > idle * 1000;
  }

  private track(call: Promise<void>): void {
    this.lastWork = Date.now();
    const tracked = call
      .catch((error: unknown) => this.options.log({ event: 'error', message: (error as Error).message }))
      .finally(() => {
        this.active.delete(tracked);
        this.finished += 1;
        this.lastWork = Date.now();
      });
    this.active.add(tracked);
  }

  private async dial(job: ClaimedJob): Promise<void> {
    const { call } = job;
    this.options.log({ event: 'claimed', job_id: job.job_id, attempt: job.attempt, to: call.to_number });
    if (!(await this.client.confirm(job.job_id, job.lease_token))) {
      this.options.log({ event: 'lease_lost', job_id: job.job_id });
      return;
    }
    this.options.log({ event: 'confirmed', job_id: job.job_id, call_id: call.call_id });
    const script = callScript(this.random, 'outbound', call.agent, call.dynamic_variables, this.options);
    await this.play(script, call.project_id, call.call_id, []);
  }

  private async receiveInbound(): Promise<void> {
    const phoneId = this.options.inboundPhoneId;
    if (phoneId === undefined) throw new Error('inbound calls need the phone that receives them');
    const route = await this.client.inboundRoute(phoneId);
    while (!this.done()) {
      // Arrivals of a Poisson process: exponential gaps around the asked rate.
      await sleep((-Math.log(1 - this.random()) * 60_000) / this.options.inboundPerMinute);
      if (this.done() || this.room() <= 0) continue;
      const callId = randomUUID();
      const created: Omit<RuntimeEvent, 'event_id' | 'project_id' | 'call_id' | 'occurred_at'> = {
        type: 'call.created',
        data: {
          type: 'inbound',
          contact: { ...newContact(this.random), contact_type: 'call' },
          agent_id: route.agent_id,
          agent_version_id: route.agent_version_id,
          phone_register_id: route.phone_register_id,
          dynamic_variables: null,
        },
      };
      this.options.log({ event: 'inbound', call_id: callId });
      const script = callScript(
        this.random,
        'inbound',
        route.agent,
        (route.agent.dynamic_variables as Record<string, unknown> | null) ?? {},
        this.options,
      );
      this.track(this.play(script, route.project_id, callId, [created]));
    }
  }

  /** Reports the script's events as their moments come, on the simulated clock. */
  private async play(
    script: CallScript,
    projectId: string,
    callId: string,
    first: Omit<RuntimeEvent, 'event_id' | 'project_id' | 'call_id' | 'occurred_at'>[],
  ): Promise<void> {
    const start = Date.now();
    const stamp = (at: number, body: (typeof first)[number]) =>
      ({
        ...body,
        event_id: randomUUID(),
        project_id: projectId,
        call_id: callId,
        occurred_at: formatInstant((start + at * 1000) * 1000),
      }) as RuntimeEvent;
    if (first.length > 0) await this.client.report(first.map((e) => stamp(0, e)));
    for (const step of script.steps) {
      await sleep(start + (step.at * 1000) / this.options.speed - Date.now());
      if (step.events.length > 0) await this.client.report(step.events.map((e) => stamp(step.at, e)));
      if (step.recordingSeconds !== undefined) {
        await this.client.uploadRecording(callId, toneWav(Math.min(step.recordingSeconds, 120)));
      }
    }
    this.options.log({ event: 'ended', call_id: callId, outcome: script.outcome });
  }
}
