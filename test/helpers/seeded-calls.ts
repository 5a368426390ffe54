import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { postEvents } from './app.js';
import { callEvents } from './events.js';
import type { RuntimeEvent } from '../../src/contract/events.js';

/** What a test knows about a call it reported: enough to predict any listing. */
export interface KnownCall {
  id: string;
  createdMs: number;
  status: 'dialing' | 'in_progress' | 'completed' | 'failed' | 'transferred' | 'no_answer';
  type: 'inbound' | 'outbound';
  agentId: string;
  phoneId: string;
  caller: string;
}

const STATUSES = ['dialing', 'in_progress', 'completed', 'failed', 'transferred', 'no_answer'] as const;
export const BASE_MS = Date.parse('2026-11-01T00:00:00Z');

/**
 * Reports `count` calls for `projectId` with a spread of statuses, types, agents, phones and
 * callers. Creation instants repeat (every third call shares its neighbour's second), so the
 * listing order's id tie-break is exercised.
 */
export async function seedCalls(
  app: FastifyInstance,
  token: string,
  projectId: string,
  count: number,
  options: { agents?: string[]; phones?: string[]; offsetMs?: number } = {},
): Promise<KnownCall[]> {
  const agents = options.agents ?? [randomUUID(), randomUUID(), randomUUID()];
  const phones = options.phones ?? [randomUUID(), randomUUID()];
  const calls: KnownCall[] = [];
  const events: RuntimeEvent[] = [];
  for (let i = 0; i < count; i++) {
    const createdMs = BASE_MS + (options.offsetMs ?? 0) + Math.floor(i / 3) * 3_600_000 + (i % 3 === 2 ? 1000 : 0);
    const status = STATUSES[(i * 7) % STATUSES.length] as KnownCall['status'];
    const call: KnownCall = {
      id: randomUUID(),
      createdMs,
      status,
      type: i % 4 === 0 ? 'outbound' : 'inbound',
      agentId: agents[i % agents.length] as string,
      phoneId: phones[i % phones.length] as string,
      caller: `+3460000${String(i % 5).padStart(4, '0')}`,
    };
    calls.push(call);
    events.push(...eventsFor(projectId, call));
  }
  for (let i = 0; i < events.length; i += 500) {
    const response = await postEvents(app, token, events.slice(i, i + 500));
    assert.equal(response.statusCode, 200, response.body);
  }
  return calls;
}

export function eventsFor(projectId: string, call: KnownCall): RuntimeEvent[] {
  const e = callEvents(projectId, call.id as ReturnType<typeof randomUUID>, call.createdMs);
  const created = e.created(0, {
    type: call.type,
    contact: { identifier: call.caller, contact_type: 'call' },
    agent_id: call.agentId,
    phone_register_id: call.phoneId,
  });
  switch (call.status) {
    case 'dialing':
      return [created];
    case 'in_progress':
      return [created, e.answered(3)];
    case 'no_answer':
      return [created, e.ended(30, 'no_answer', 'no_answer')];
    case 'failed':
      return [created, e.ended(1, 'failed', 'sip_error')];
    default:
      return [created, e.answered(3), e.ended(60, call.status, 'customer_hangup')];
  }
}

/** The listing order: (created_date, id), newest first unless `asc`. */
export function inListingOrder(calls: KnownCall[], order: 'asc' | 'desc' = 'desc'): KnownCall[] {
  const sorted = [...calls].sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return order === 'asc' ? sorted : sorted.reverse();
}
