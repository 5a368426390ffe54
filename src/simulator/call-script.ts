import type { RuntimeEvent } from '../contract/events.js';
import { CITIES, FIRST_NAMES, LAST_NAMES, LINES, pick } from '../demo/simulate-calls.js';

type EventBody = Omit<RuntimeEvent, 'event_id' | 'project_id' | 'call_id' | 'occurred_at'>;

/** One moment of a simulated call: events to report, or the recording to upload. */
export interface ScriptStep {
  /** Seconds after the call was taken, on the simulated clock. */
  at: number;
  events: EventBody[];
  /** Upload a recording this many seconds long. */
  recordingSeconds?: number;
}

export interface CallScript {
  outcome: 'completed' | 'transferred' | 'no_answer' | 'failed';
  steps: ScriptStep[];
}

export interface ScriptOptions {
  /** Share of outbound calls the callee answers. */
  answerRate: number;
}

/**
 * What happens on a call, as a telephony runtime would see it: ringing, then no answer, a failed
 * dial or a conversation (the agent's greeting, turns of the dental-clinic script with the
 * call's variables, a tool call), a hang-up or a transfer, and the recording.
 */
export function callScript(
  random: () => number,
  direction: 'inbound' | 'outbound',
  agent: Record<string, unknown>,
  variables: Record<string, unknown>,
  options: ScriptOptions,
): CallScript {
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  if (direction === 'outbound' && random() >= options.answerRate) {
    const failed = random() < 0.2;
    const at = failed ? between(1, 3) : between(20, 30);
    return {
      outcome: failed ? 'failed' : 'no_answer',
      steps: [
        {
          at,
          events: [
            {
              type: 'call.ended',
              data: failed
                ? { outcome: 'failed', end_reason: pick(random, ['busy', 'sip_error', 'carrier_rejected']) }
                : { outcome: 'no_answer', end_reason: pick(random, ['no_answer', 'voicemail_detected']) },
            },
          ],
        },
      ],
    };
  }

  const answeredAt = direction === 'inbound' ? between(1, 2) : between(3, 8);
  const steps: ScriptStep[] = [{ at: answeredAt, events: [{ type: 'call.answered', data: {} }] }];
  const fill = conversationValues(random, variables);
  let t = answeredAt;
  const say = (role: 'assistant' | 'user', content: string) => {
    t += between(2, 6);
    steps.push({ at: t, events: [{ type: 'call.message', data: { role, content } }] });
  };
  if (typeof agent.greeting === 'string' && agent.greeting !== '') say('assistant', fill(agent.greeting));
  const turns = between(4, LINES.length);
  for (const [role, text] of LINES.slice(0, turns)) {
    if (role === 'tool') {
      t += between(1, 2);
      steps.push({
        at: t,
        events: [
          {
            type: 'call.message',
            data: {
              role: 'tool',
              content: null,
              tool_call: {
                function_name: 'reschedule_appointment',
                payload: { day: 'thursday', time: '17:00' },
                status: 'success',
              },
            },
          },
        ],
      });
    } else say(role, fill(text));
  }
  const transferred = random() < 0.1;
  t += between(1, 3);
  steps.push({
    at: t,
    events: [
      {
        type: 'call.ended',
        data: transferred
          ? { outcome: 'transferred', end_reason: 'transferred_to_human' }
          : { outcome: 'completed', end_reason: pick(random, ['customer_hangup', 'agent_hangup']) },
      },
    ],
  });
  steps.push({ at: t + 1, events: [], recordingSeconds: t - answeredAt });
  return { outcome: transferred ? 'transferred' : 'completed', steps };
}

/** Fills {name}, {date}, {city} and {{variable}} placeholders from the call's variables. */
function conversationValues(random: () => number, variables: Record<string, unknown>) {
  const known = (keys: string[]) =>
    keys.map((k) => variables[k]).find((v) => typeof v === 'string') as string | undefined;
  const values: Record<string, string> = {
    name: known(['customer_name', 'patient', 'name']) ?? `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
    date:
      known(['appointment_date', 'slot', 'date']) ??
      `${1 + Math.floor(random() * 28)}/${1 + Math.floor(random() * 12)}`,
    city: known(['city']) ?? pick(random, CITIES),
  };
  return (text: string) =>
    text
      .replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
        variables[key] === undefined ? whole : String(variables[key]),
      )
      .replace(/\{(name|date|city)\}/g, (_whole, key: string) => values[key] as string);
}
