import { Type } from '@sinclair/typebox';

/** The most calls one bulk download may name. */
export const BULK_DOWNLOAD_LIMIT = 50;

/** RecordingResponse and BulkRecordingRequest, as in spec/diga-openapi-subset.json. */
export const RecordingResponseSchema = Type.Object(
  {
    recording_url: Type.String({ title: 'Recording URL', description: 'The URL to the recording of the call' }),
  },
  { $id: 'RecordingResponse', title: 'RecordingResponse' },
);

export const BulkRecordingRequestSchema = Type.Object(
  {
    call_ids: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: BULK_DOWNLOAD_LIMIT,
      title: 'Call IDs',
      description: 'List of call IDs to download recordings for',
    }),
  },
  { title: 'BulkRecordingRequest' },
);

export const CallIdPathSchema = Type.Object({
  call_id: Type.String({
    format: 'uuid',
    title: 'Call ID',
    description: 'The unique identifier for the call',
  }),
});

export const recordingSchemas = [RecordingResponseSchema];
