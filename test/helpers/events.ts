import { randomUUID } from 'node:crypto';
import type { RuntimeEvent, ToolCall } from '../../src/contract/events.js';

/** Builders for runtime events, with sensible defaults a test overrides where it cares. */
export function callEvents(projectId: string, callId = randomUUID(), start = Date.parse('2026-11-20T10:00:00Z')) {
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
  const base = (seconds: number) => ({
    event_id: randomUUID(),
    project_id: projectId,
    call_id: callId,
    occurred_at: at(seconds),
  });
  return {
    callId,
    created: (
      seconds = 0,
      data: Partial<Extract<RuntimeEvent, { type: 'call.created' }>['data']> = {},
    ): RuntimeEvent => ({
      ...base(seconds),
      type: 'call.created',
      data: { type: 'inbound', contact: { identifier: '+34600111222', contact_type: 'call' }, ...data },
    }),
    answered: (seconds = 5): RuntimeEvent => ({ ...base(seconds), type: 'call.answered', data: {} }),
    ended: (
      seconds = 65,
      outcome: 'completed' | 'failed' | 'transferred' | 'no_answer' = 'completed',
      end_reason: string | null = 'customer_hangup',
    ): RuntimeEvent => ({
      ...base(seconds),
      type: 'call.ended',
      data: { outcome, end_reason },
    }),
    recording: (seconds = 70, url = `https://recordings.example/${callId}.mp3`): RuntimeEvent => ({
      ...base(seconds),
      type: 'call.recording_ready',
      data: { recording_url: url },
    }),
    message: (seconds: number, role: 'user' | 'assistant' | 'tool' = 'user', content = 'Hola'): RuntimeEvent => ({
      ...base(seconds),
      type: 'call.message',
      data: { role, content },
    }),
    toolMessage: (seconds: number, tool_call: ToolCall): RuntimeEvent => ({
      ...base(seconds),
      type: 'call.message',
      data: { role: 'tool', content: null, tool_call },
    }),
  };
}
