import { Readable } from 'node:stream';
import type { BlobStore } from '../store/blobs/blob-store.js';
import { ingestEvents } from '../domain/calls/ingest.js';
import { storeRecording } from '../domain/recordings/store-recording.js';
import type { Db } from '../store/database.js';
import { simulatedBatches } from './simulate-calls.js';
import { toneWav } from './wav.js';

export interface DemoResult {
  events: number;
  recordings: number;
  sampleCallIds: string[];
}

/**
 * Fills a project with simulated calls through the same code the runtime's endpoints run:
 * events through ingestion, and for up to `recordings` answered calls a generated WAV (a short
 * tone: this is not real telephony) uploaded in place of the runtime's recording URL, so the
 * transcript, recording and bulk download endpoints all have something to show.
 */
export async function fillDemo(
  db: Db,
  blobs: BlobStore,
  options: { projectId: string; calls: number; seed?: number; recordings: number },
): Promise<DemoResult> {
  let events = 0;
  let recordings = 0;
  const sampleCallIds: string[] = [];
  for (const batch of simulatedBatches({ projectId: options.projectId, calls: options.calls, seed: options.seed })) {
    const withAudio = new Set(
      batch.events
        .filter((e) => e.type === 'call.recording_ready')
        .map((e) => e.call_id)
        .slice(0, options.recordings - recordings),
    );
    const reported = batch.events.filter((e) => !(e.type === 'call.recording_ready' && withAudio.has(e.call_id)));
    await ingestEvents(db, reported);
    events += reported.length;
    for (const callId of withAudio) {
      const audio = toneWav(1 + (recordings % 3) * 0.5, 330 + (recordings % 5) * 55);
      await storeRecording(db, blobs, {
        callId,
        contentType: 'audio/wav',
        body: Readable.from([audio]),
        maxBytes: audio.length,
      });
      recordings += 1;
    }
    for (const id of batch.callIds) if (sampleCallIds.length < 5) sampleCallIds.push(id);
  }
  return { events, recordings, sampleCallIds };
}
