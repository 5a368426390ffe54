import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import yauzl from 'yauzl';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';
import { callEvents } from '../../helpers/events.js';
import { toneWav } from '../../../src/demo/wav.js';
import { RecordingLinks } from '../../../src/domain/recordings/links.js';

const MAX_BYTES = 64 * 1024;

describeEachBackend('recordings: upload, signed URLs, bulk ZIP', (backend) => {
  let t: TestApp;
  const audio = new Map<string, Buffer>();
  let withAudio: string[];
  let withExternalUrl: string;
  let withoutRecording: string;
  let callOfB: string;

  before(async () => {
    t = await buildTestApp({ backend, recordingMaxBytes: MAX_BYTES });
    const calls = Array.from({ length: 3 }, () => callEvents(t.projectA));
    const external = callEvents(t.projectA);
    const none = callEvents(t.projectA);
    const b = callEvents(t.projectB);
    const response = await postEvents(t.app, t.runtimeToken, [
      ...calls.flatMap((c) => [c.created(0), c.answered(2), c.ended(30)]),
      external.created(0),
      external.ended(20),
      external.recording(25, 'https://media.example/external.mp3'),
      none.created(0),
      b.created(0),
    ]);
    assert.equal(response.statusCode, 200, response.body);
    withAudio = calls.map((c) => c.callId);
    withExternalUrl = external.callId;
    withoutRecording = none.callId;
    callOfB = b.callId;
    for (const [i, id] of withAudio.entries()) {
      const wav = toneWav(0.5 + i, 300 + 100 * i);
      audio.set(id, wav);
      assert.equal((await upload(id, wav)).statusCode, 201);
    }
    const bAudio = await upload(callOfB, toneWav(0.2));
    assert.equal(bAudio.statusCode, 201);
  });
  after(() => t.close());

  function upload(callId: string, body: Buffer, type = 'audio/wav', token = t.runtimeToken) {
    return t.app.inject({
      method: 'POST',
      url: `/internal/v1/calls/${callId}/recording`,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    });
  }
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const asA = (url: string, key = t.keyA) => get(url, { authorization: `Bearer ${key}` });
  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  };
  async function signedUrl(callId: string): Promise<string> {
    const response = await asA(`/v1/recording/${callId}`);
    assert.equal(response.statusCode, 200, response.body);
    assertMatchesReference('RecordingResponse', response.json());
    return response.json().recording_url;
  }

  test('an upload is served back byte for byte through the signed recording_url of CallResponse', async () => {
    const [id] = withAudio as [string];
    const call = (await asA(`/v1/call/${id}`)).json();
    assert.match(
      call.recording_url,
      new RegExp(`^http://localhost:80/v1/recording/${id}/audio\\?expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    const response = await get(pathOf(call.recording_url));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'audio/wav');
    assert.equal(response.headers['accept-ranges'], 'bytes');
    assert.equal(Number(response.headers['content-length']), audio.get(id)!.length);
    assert.ok(response.rawPayload.equals(audio.get(id)!));
    const listed = (await asA('/v1/call/?limit=100')).json().data.find((c: { id: string }) => c.id === id);
    assert.match(listed.recording_url, /\/audio\?expires=/, 'listings carry signed URLs too');
  });

  test('Range requests: a slice, a suffix, and 416 past the end', async () => {
    const id = withAudio[1] as string;
    const wav = audio.get(id)!;
    const url = pathOf(await signedUrl(id));
    const slice = await get(url, { range: 'bytes=100-199' });
    assert.equal(slice.statusCode, 206);
    assert.equal(slice.headers['content-range'], `bytes 100-199/${wav.length}`);
    assert.ok(slice.rawPayload.equals(wav.subarray(100, 200)));
    const suffix = await get(url, { range: 'bytes=-10' });
    assert.ok(suffix.rawPayload.equals(wav.subarray(-10)));
    const open = await get(url, { range: `bytes=${wav.length - 5}-` });
    assert.equal(open.headers['content-range'], `bytes ${wav.length - 5}-${wav.length - 1}/${wav.length}`);
    const beyond = await get(url, { range: `bytes=${wav.length}-` });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${wav.length}`);
    assert.equal(beyond.json().error_code, 'RANGE_NOT_SATISFIABLE');
    const several = await get(url, { range: 'bytes=0-1,5-6' });
    assert.equal(several.statusCode, 200, 'several ranges: the whole file, as RFC 9110 allows');
  });

  test('a tampered, foreign or expired URL is a clear 403', async () => {
    const [id, other] = withAudio as [string, string];
    const url = new URL(await signedUrl(id));
    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const invalid = await get(tampered.pathname + tampered.search);
    assert.equal(invalid.statusCode, 403);
    assert.deepEqual(invalid.json(), {
      status: 'error',
      error_code: 'INVALID_SIGNATURE',
      message: 'This recording URL is not valid',
    });
    const moved = await get(url.pathname.replace(id, other) + url.search);
    assert.equal(moved.json().error_code, 'INVALID_SIGNATURE', "one call's signature opens no other call");
    assert.equal((await get(`/v1/recording/${id}/audio`)).json().error_code, 'INVALID_SIGNATURE');
    const links = await RecordingLinks.load(t.store.db, 60);
    const stale = new URL(links.urlFor('http://x', id, Date.now() - 61_000));
    const expired = await get(stale.pathname + stale.search);
    assert.equal(expired.statusCode, 403);
    assert.equal(expired.json().error_code, 'RECORDING_URL_EXPIRED');
  });

  test('parameter names are read decoded (%73ignature is signature); a repeated or respelled one is a 403', async () => {
    const id = withAudio[0] as string;
    const url = new URL(await signedUrl(id));
    const expires = url.searchParams.get('expires') as string;
    const signature = url.searchParams.get('signature') as string;
    const at = (query: string) => get(`${url.pathname}?${query}`);
    assert.equal((await at(`expires=${expires}&%73ignature=${signature}`)).statusCode, 200);
    assert.equal((await at(`%65xpires=${expires}&signature=${signature}&download=1`)).statusCode, 200);
    for (const query of [
      `expires=${expires}&signature=${signature}&signature=${signature}`,
      `expires=${expires}&expires=${expires}&signature=${signature}`,
      `expires=${expires}&signature=${signature}&%73ignature=${'0'.repeat(64)}`,
      `expires=${expires}&signature=${signature}&Signature=${signature}`,
      `expires=${expires}&%2573ignature=${signature}`,
      `expires=${expires}&signature=${signature}&expires`,
    ]) {
      const refused = await at(query);
      assert.equal(refused.statusCode, 403, query);
      assert.deepEqual(refused.json(), {
        status: 'error',
        error_code: 'INVALID_SIGNATURE',
        message: 'This recording URL is not valid',
      });
    }
  });

  test('GET /v1/recording/{call_id}: the runtime URL when not stored here, 404s otherwise', async () => {
    assert.equal(await signedUrl(withExternalUrl), 'https://media.example/external.mp3');
    const none = await asA(`/v1/recording/${withoutRecording}`);
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error_code, 'RECORDING_NOT_FOUND');
    const missing = randomUUID();
    const foreign = await asA(`/v1/recording/${callOfB}`);
    const absent = await asA(`/v1/recording/${missing}`);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.body.replace(callOfB, 'X'), absent.body.replace(missing, 'X'));
    const bad = await asA('/v1/recording/nope');
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['path', 'call_id']);
  });

  test('recordings need recordings.view', async () => {
    const callsOnly = await t.keyFor(t.projectA, ['calls.view']);
    const denied = await asA(`/v1/recording/${withAudio[0]}`, callsOnly);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().message, 'Missing required permissions to view recordings');
    const bulk = await bulkAs({ call_ids: [withAudio[0]] }, callsOnly);
    assert.equal(bulk.statusCode, 403);
    assert.equal(
      (await asA(`/v1/recording/${withAudio[0]}`, await t.keyFor(t.projectA, ['recordings.view']))).statusCode,
      200,
    );
  });

  function bulkAs(body: unknown, key = t.keyA): Promise<LightMyRequestResponse> {
    return t.app.inject({
      method: 'POST',
      url: '/v1/recording/bulk',
      headers: { authorization: `Bearer ${key}` },
      payload: body as object,
    });
  }

  test('bulk: a ZIP of the available recordings, one entry per call, nothing of other projects', async () => {
    let open = 0;
    let mostOpen = 0;
    const realOpen = t.blobs.open.bind(t.blobs);
    t.blobs.open = async (key, range) => {
      const stream = await realOpen(key, range);
      mostOpen = Math.max(mostOpen, ++open);
      // Being read until its end: its file's close can come after the next file's open (both
      // wait on libuv's thread pool), which is not two recordings held at once.
      let read = false;
      const finished = () => {
        if (!read) open--;
        read = true;
      };
      stream.once('end', finished);
      stream.once('close', finished);
      return stream;
    };
    try {
      const ids = [...withAudio, withAudio[0], withoutRecording, withExternalUrl, callOfB, randomUUID()];
      const response = await bulkAs({ call_ids: ids });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'application/zip');
      assert.equal(response.headers['content-disposition'], 'attachment; filename="recordings.zip"');
      assert.equal(Number(response.headers['content-length']), response.rawPayload.length);
      const entries = await unzip(response.rawPayload);
      assert.deepEqual(
        [...entries.keys()],
        withAudio.map((id) => `${id}.wav`),
      );
      for (const id of withAudio) assert.ok(entries.get(`${id}.wav`)!.equals(audio.get(id)!));
      assert.equal(mostOpen, 1, 'recordings are streamed one at a time, never all held at once');
    } finally {
      t.blobs.open = realOpen;
    }
  });

  test('bulk: 51 ids → 400 BULK_DOWNLOAD_LIMIT_EXCEEDED, none available → 404, bad lists → 422', async () => {
    const tooMany = await bulkAs({ call_ids: Array.from({ length: 51 }, () => randomUUID()) });
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(tooMany.json(), {
      status: 'error',
      error_code: 'BULK_DOWNLOAD_LIMIT_EXCEEDED',
      message: 'Bulk download is limited to 50 recordings',
    });
    const fifty = await bulkAs({ call_ids: [...Array.from({ length: 49 }, () => randomUUID()), withAudio[0]] });
    assert.equal(fifty.statusCode, 200);
    const none = await bulkAs({ call_ids: [withoutRecording, callOfB, randomUUID()] });
    assert.equal(none.statusCode, 404);
    assert.deepEqual(none.json(), {
      status: 'error',
      error_code: 'NO_RECORDINGS_FOUND',
      message: 'None of the requested calls have recordings available',
    });
    for (const [body, type] of [
      [{ call_ids: [] }, 'too_short'],
      [{ call_ids: ['nope'] }, 'uuid_parsing'],
      [{}, 'missing'],
      [{ call_ids: 'x' }, 'list_type'],
    ] as const) {
      const response = await bulkAs(body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assertMatchesReference('HTTPValidationError', response.json());
      assert.equal(response.json().detail[0].type, type);
    }
  });

  test('bulk: a recording whose file is gone is left out, and a vanishing one cuts the download short', async () => {
    const [first, second] = withAudio as [string, string];
    const lost = await t.store.db
      .selectFrom('recordings')
      .select('blob_key')
      .where('call_id', '=', first)
      .executeTakeFirstOrThrow();
    const keep = await t.blobs.open(lost.blob_key);
    const saved: Buffer[] = [];
    for await (const chunk of keep) saved.push(chunk as Buffer);
    await t.blobs.delete(lost.blob_key);
    try {
      const response = await bulkAs({ call_ids: [first, second] });
      assert.equal(response.statusCode, 200);
      assert.deepEqual([...(await unzip(response.rawPayload)).keys()], [`${second}.wav`]);
      const none = await bulkAs({ call_ids: [first] });
      assert.equal(none.json().error_code, 'NO_RECORDINGS_FOUND');

      const realOpen = t.blobs.open.bind(t.blobs);
      t.blobs.open = async () => {
        throw new Error('disk unplugged');
      };
      try {
        const cut = await bulkAs({ call_ids: [second] }).then(
          (r) => r.rawPayload.length < Number(r.headers['content-length']),
          () => true,
        );
        assert.ok(cut, 'the download is cut short, never passed off as complete');
      } finally {
        t.blobs.open = realOpen;
      }
      assert.equal((await asA(`/v1/recording/${second}`)).statusCode, 200, 'the server carries on');
    } finally {
      await t.blobs.put(lost.blob_key, Readable.from(saved), MAX_BYTES);
    }
  });

  test('upload errors: wrong type 415, unknown call 404, no token 401, empty 400', async () => {
    const id = withoutRecording;
    const text = await upload(id, Buffer.from('hello'), 'text/plain');
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().error_code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal((await upload(randomUUID(), toneWav(0.1))).statusCode, 404);
    const key = await upload(id, toneWav(0.1), 'audio/wav', t.keyA);
    assert.equal(key.statusCode, 401, 'a project key is not a runtime token');
    const empty = await upload(id, Buffer.alloc(0));
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error_code, 'EMPTY_RECORDING');
    assert.equal((await asA(`/v1/recording/${id}`)).statusCode, 404, 'nothing was stored');
  });

  test('too large: 413 whether declared or streamed, and no file is left behind', async () => {
    const before = files(t.blobDir);
    const declared = await upload(withoutRecording, Buffer.alloc(MAX_BYTES + 1));
    assert.equal(declared.statusCode, 413);
    // Chunked, so no Content-Length warns the server: the limit is enforced while streaming.
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const streamed = await chunkedUpload(`${address}/internal/v1/calls/${withoutRecording}/recording`, t.runtimeToken, [
      Buffer.alloc(MAX_BYTES),
      Buffer.alloc(10),
    ]);
    assert.equal(streamed.status, 413);
    assert.equal(JSON.parse(streamed.body).error_code, 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(files(t.blobDir), before);
    assert.equal((await asA(`/v1/recording/${withoutRecording}`)).statusCode, 404);
  });

  test('a second upload replaces the first, and the old file is removed', async () => {
    const id = withAudio[2] as string;
    const before = files(t.blobDir).length;
    const replacement = toneWav(0.3, 880);
    assert.equal((await upload(id, replacement, 'audio/x-wav')).statusCode, 201);
    assert.equal(files(t.blobDir).length, before);
    const served = await get(pathOf(await signedUrl(id)));
    assert.ok(served.rawPayload.equals(replacement));
    audio.set(id, replacement);
  });

  test("an upload takes the place of the runtime's own recording_url in CallResponse", async () => {
    const call = callEvents(t.projectA);
    const events = [call.created(0), call.ended(20), call.recording(25, 'https://media.example/replaced.mp3')];
    assert.equal((await postEvents(t.app, t.runtimeToken, events)).statusCode, 200);
    const before = (await asA(`/v1/call/${call.callId}`)).json();
    assert.equal(before.recording_url, 'https://media.example/replaced.mp3');
    assert.equal((await upload(call.callId, toneWav(0.2))).statusCode, 201);
    const after = (await asA(`/v1/call/${call.callId}`)).json();
    assert.match(after.recording_url, new RegExp(`/v1/recording/${call.callId}/audio\\?expires=\\d+&signature=`));
    assert.deepEqual({ ...after, recording_url: null }, { ...before, recording_url: null });
  });
});

/** A POST with Transfer-Encoding: chunked, over a real socket. */
function chunkedUpload(url: string, token: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/wav', 'transfer-encoding': 'chunked' },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (c: Buffer) => (body += c.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    // The server may answer and stop reading before the last chunk is written.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(wav|mp3|ogg)$/.test(f)).sort();
}

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
