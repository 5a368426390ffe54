import { BULK_DOWNLOAD_LIMIT } from '../../contract/recordings.js';
import { ApiError, errors } from '../../kernel/errors.js';

/** Every error the recordings resource answers with, but the calls' own (CALL_NOT_FOUND). */
export const recordingErrors = {
  notFound: (callId: string) => new ApiError(404, 'RECORDING_NOT_FOUND', `No recording found for call ${callId}`),
  urlExpired: () =>
    new ApiError(403, 'RECORDING_URL_EXPIRED', 'This recording URL has expired; ask the API for a new one'),
  invalidSignature: () => new ApiError(403, 'INVALID_SIGNATURE', 'This recording URL is not valid'),
  rangeNotSatisfiable: (size: number) => new ApiError(416, 'RANGE_NOT_SATISFIABLE', `The recording has ${size} bytes`),
  noneFound: () => new ApiError(404, 'NO_RECORDINGS_FOUND', 'None of the requested calls have recordings available'),
  bulkLimitExceeded: () =>
    new ApiError(400, 'BULK_DOWNLOAD_LIMIT_EXCEEDED', `Bulk download is limited to ${BULK_DOWNLOAD_LIMIT} recordings`),
  notAudio: (contentType: string) => errors.unsupportedMediaType(contentType),
  tooLarge: (maxBytes: number) =>
    new ApiError(413, 'PAYLOAD_TOO_LARGE', `Recording is larger than the ${maxBytes}-byte limit`),
  empty: () => new ApiError(400, 'EMPTY_RECORDING', 'The recording body is empty'),
} as const;
