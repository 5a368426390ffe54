import type { RuntimeEvent } from '../contract/events.js';
import { formatInstant } from '../kernel/time.js';

/**
 * Realistic call traffic as a voice runtime would report it: Spanish E.164 callers (some of them
 * repeat callers) and web visitors, inbound and outbound, every status, transcripts with tool
 * calls, recordings and dynamic variables. Deterministic for a given seed.
 */
export interface SimulationOptions {
  projectId: string;
  calls: number;
  seed?: number;
  /** Calls start within this many days before `now`. */
  days?: number;
  now?: number;
  /** Transcript messages per answered call, at most. */
  maxMessages?: number;
}

export interface SimulatedCall {
  callId: string;
  events: RuntimeEvent[];
}

export const FIRST_NAMES = [
  'Lucía',
  'Hugo',
  'Martina',
  'Mateo',
  'Sofía',
  'Leo',
  'María',
  'Pablo',
  'Julia',
  'Álvaro',
  'Paula',
  'Daniel',
];
export const LAST_NAMES = [
  'García',
  'Fernández',
  'González',
  'Rodríguez',
  'López',
  'Martínez',
  'Sánchez',
  'Pérez',
  'Gómez',
  'Ruiz',
];
export const CITIES = ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Zaragoza', 'Málaga', 'Bilbao'];
const OUTCOMES = [
  ['completed', 55],
  ['transferred', 10],
  ['no_answer', 14],
  ['failed', 6],
  ['in_progress', 9],
  ['dialing', 6],
] as const;
const END_REASONS: Record<string, string[]> = {
  completed: ['customer_hangup', 'agent_hangup', 'conversation_finished'],
  transferred: ['transferred_to_human', 'transferred_to_department'],
  no_answer: ['no_answer', 'voicemail_detected', 'busy'],
  failed: ['sip_error', 'carrier_rejected', 'invalid_number'],
};
export const LINES = [
  ['assistant', 'Hola, le llamo de la Clínica Dental Sonrisa. ¿Hablo con {name}?'],
  ['user', 'Sí, soy yo. Dígame.'],
  ['assistant', 'Le llamo para confirmar su cita del {date}. ¿Le sigue viniendo bien?'],
  ['user', 'Pues la verdad es que no, ¿podríamos cambiarla a la semana siguiente?'],
  ['tool', null],
  ['assistant', 'Tengo hueco el martes a las diez y el jueves a las cinco. ¿Cuál prefiere?'],
  ['user', 'El jueves a las cinco, perfecto.'],
  ['assistant', 'Hecho. Le he reservado el jueves a las cinco en {city}. ¿Algo más?'],
  ['user', 'No, nada más. Muchas gracias.'],
  ['assistant', '¡A usted! Que tenga un buen día.'],
] as const;

export function* simulateCalls(options: SimulationOptions): Generator<SimulatedCall> {
  const random = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const uuid = () => randomUuid(random);
  const now = options.now ?? Date.now() * 1000;
  const span = (options.days ?? 30) * 86_400_000_000;
  const maxMessages = options.maxMessages ?? LINES.length;
  const agents = Array.from({ length: 3 }, () => ({ id: uuid(), versions: [uuid(), uuid()] }));
  const phones = Array.from({ length: 3 }, () => uuid());
  const contacts = Array.from({ length: Math.max(1, Math.ceil(options.calls / 3)) }, () => newContact(random));

  for (let i = 0; i < options.calls; i += 1) {
    const callId = uuid();
    const agent = pick(random, agents);
    const contact = pick(random, contacts);
    const name = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
    const date = `${1 + Math.floor(random() * 28)}/${1 + Math.floor(random() * 12)}`;
    const city = pick(random, CITIES);
    const outcome = weighted(random, OUTCOMES);
    const base = { project_id: options.projectId, call_id: callId };
    let t = now - Math.floor(random() * span);
    const at = () => formatInstant(t);
    const events: RuntimeEvent[] = [
      {
        ...base,
        event_id: uuid(),
        type: 'call.created',
        occurred_at: at(),
        data: {
          type: contact.contact_type === 'web' || random() < 0.6 ? 'inbound' : 'outbound',
          contact,
          agent_id: agent.id,
          agent_version_id: pick(random, agent.versions),
          phone_register_id: contact.contact_type === 'web' ? null : pick(random, phones),
          dynamic_variables: {
            customer_name: name,
            appointment_date: date,
            city,
            attempt: 1 + Math.floor(random() * 3),
          },
        },
      },
    ];
    if (outcome !== 'dialing' && outcome !== 'no_answer' && !(outcome === 'failed' && random() < 0.5)) {
      t += 2_000_000 + Math.floor(random() * 18_000_000);
      events.push({ ...base, event_id: uuid(), type: 'call.answered', occurred_at: at(), data: {} });
      const spoken = Math.min(maxMessages, 2 + Math.floor(random() * (LINES.length - 1)));
      for (const [role, text] of LINES.slice(0, spoken)) {
        t += 1_500_000 + Math.floor(random() * 9_000_000);
        events.push({
          ...base,
          event_id: uuid(),
          type: 'call.message',
          occurred_at: at(),
          data:
            role === 'tool'
              ? {
                  role,
                  content: null,
                  tool_call: {
                    function_name: 'reschedule_appointment',
                    payload: { day: 'thursday', time: '17:00' },
                    status: 'success',
                    type: 'function',
                  },
                }
              : { role, content: text.replace('{name}', name).replace('{date}', date).replace('{city}', city) },
        });
      }
    }
    if (outcome !== 'dialing' && outcome !== 'in_progress') {
      t += outcome === 'no_answer' ? 25_000_000 : 3_000_000 + Math.floor(random() * 30_000_000);
      events.push({
        ...base,
        event_id: uuid(),
        type: 'call.ended',
        occurred_at: at(),
        data: { outcome, end_reason: pick(random, END_REASONS[outcome] ?? ['unknown']) },
      });
      if (outcome === 'completed' || outcome === 'transferred') {
        t += 5_000_000;
        events.push({
          ...base,
          event_id: uuid(),
          type: 'call.recording_ready',
          occurred_at: at(),
          data: { recording_url: `https://recordings.diga.example/${options.projectId}/${callId}.mp3` },
        });
      }
    }
    yield { callId, events };
  }
}

/** Groups the simulation's events into batches of at most `size`, a call's events kept in order. */
export function* simulatedBatches(
  options: SimulationOptions,
  size = 500,
): Generator<{ events: RuntimeEvent[]; callIds: string[] }> {
  let events: RuntimeEvent[] = [];
  let callIds: string[] = [];
  for (const call of simulateCalls(options)) {
    if (events.length > 0 && events.length + call.events.length > size) {
      yield { events, callIds };
      events = [];
      callIds = [];
    }
    events.push(...call.events);
    callIds.push(call.callId);
  }
  if (events.length > 0) yield { events, callIds };
}

export function newContact(random: () => number): { identifier: string; contact_type: 'call' | 'web' } {
  if (random() < 0.15) {
    return {
      identifier: `web_${Math.floor(random() * 2 ** 48)
        .toString(16)
        .padStart(12, '0')}`,
      contact_type: 'web',
    };
  }
  // Spanish numbers: mobiles start with 6 or 7, landlines with 9.
  const first = pick(random, ['6', '7', '9']);
  const rest = Array.from({ length: 8 }, () => Math.floor(random() * 10)).join('');
  return { identifier: `+34${first}${rest}`, contact_type: 'call' };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function weighted<T>(random: () => number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (table.at(-1) as readonly [T, number])[0];
}

/** A small seeded PRNG (mulberry32): the same seed, the same calls. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
