import type { Static } from '@sinclair/typebox';
import type { RecordingResponseSchema } from '../../contract/recordings.js';

/** RecordingResponse: where to fetch a call's recording. */
export type RecordingView = Static<typeof RecordingResponseSchema>;
