import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobTooLargeError, type BlobStore } from '../../store/blobs/blob-store.js';
import type { Db } from '../../store/database.js';
import { findCallProject } from '../../store/calls-repo.js';
import { lockCalls } from '../../store/locks.js';
import { upsertRecording, type RecordingRow } from '../../store/recordings-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { recordingErrors } from './errors.js';
import { callErrors } from '../calls/errors.js';

/** The audio types a recording may have, with the file extension used in downloads. */
export const AUDIO_TYPES: Record<string, string> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/mp4': 'm4a',
  'audio/flac': 'flac',
};

/**
 * Streams a call's audio into the blob store, then records it in one transaction; a previous
 * recording of the call is replaced, and its blob removed once the new one is committed. The
 * blob is written under a fresh key first, so a failed or concurrent upload never leaves a row
 * pointing at a partial file.
 */
export async function storeRecording(
  db: Db,
  blobs: BlobStore,
  upload: { callId: string; contentType: string; body: Readable; maxBytes: number },
): Promise<RecordingRow> {
  const { callId, contentType } = upload;
  const extension = AUDIO_TYPES[contentType];
  if (extension === undefined) throw recordingErrors.notAudio(contentType);
  if ((await findCallProject(db, callId)) === undefined) throw callErrors.notFound(callId);

  const key = `${callId.slice(0, 2)}/${callId}-${randomUUID()}.${extension}`;
  let size: number;
  try {
    ({ size } = await blobs.put(key, upload.body, upload.maxBytes));
  } catch (error) {
    if (error instanceof BlobTooLargeError) throw recordingErrors.tooLarge(upload.maxBytes);
    throw error;
  }
  if (size === 0) {
    await blobs.delete(key);
    throw recordingErrors.empty();
  }

  let replaced: string | undefined;
  let row: RecordingRow;
  try {
    row = await db.transaction().execute(async (trx) => {
      await lockCalls(trx, [callId]);
      // Deleted meanwhile (bulk delete takes the same lock): keep nothing.
      const projectId = await findCallProject(trx, callId);
      if (projectId === undefined) throw callErrors.notFound(callId);
      const recording = {
        call_id: callId,
        project_id: projectId,
        blob_key: key,
        content_type: contentType,
        size,
        created_date: nowMicros(),
      };
      replaced = await upsertRecording(trx, recording);
      return recording;
    });
  } catch (error) {
    await blobs.delete(key);
    throw error;
  }
  if (replaced !== undefined) await blobs.delete(replaced);
  return row;
}
