import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { bearer, createTestApp, POINTS, type TestApp } from '../../helpers/app.ts';

/** A multipart/form-data body with one file field. */
function multipart(field: string, filename: string, data: Buffer, type = 'application/octet-stream') {
  const boundary = '----gridloop' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('photos: upload, sniffing, limits, EXIF for staff only', () => {
  let t: TestApp;
  let citizen: string;
  let worker: string;
  let staff: string;
  let photo: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ config: { uploadMaxBytes: 200_000 } });
    citizen = await t.login('citizen');
    worker = await t.login('worker');
    staff = await t.login('dispatcher');
    photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 36/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 58/1 12/1' } })
      .toBuffer();
  });
  afterAll(async () => t?.close());

  const upload = (token: string, data: Buffer, type?: string) => {
    const m = multipart('file', 'photo.jpg', data, type);
    return t.app.inject({ method: 'POST', url: '/api/attachments', headers: { ...bearer(token), ...m.headers }, payload: m.payload });
  };

  it('stores a photo by its sniffed type and attaches it to a case; staff see the EXIF location, the public does not', async () => {
    const up = await upload(citizen, photo, 'text/plain');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ mime: 'image/jpeg', size: photo.length });
    const id = up.json().id;
    const c = await t.app.inject({
      method: 'POST', url: '/api/cases', headers: bearer(citizen),
      payload: { source: 'citizen_app', category: 'environment_sanitation', description: '垃圾堆', location: POINTS.grid, attachments: [id] },
    });
    expect(c.statusCode, c.body).toBe(201);
    const history = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.json().id}/history`, headers: bearer(citizen) })).json();
    expect(history[0].attachments).toEqual([id]);
    const mine = await t.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: bearer(citizen) });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect(mine.headers['x-exif-location']).toBeUndefined();
    expect(Buffer.compare(mine.rawPayload, photo)).toBe(0);
    const staffView = await t.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: bearer(staff) });
    expect(staffView.headers['x-exif-location']).toBe('113.97,33.6');
    const otherGrid = await t.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: bearer(await t.login('worker3')) });
    expect(otherGrid.statusCode).toBe(404);
    // An attachment is used once, by its uploader.
    const reuse = await t.app.inject({
      method: 'POST', url: '/api/cases', headers: bearer(worker),
      payload: { source: 'grid_patrol', category: 'environment_sanitation', description: 'x', location: POINTS.grid, attachments: [id] },
    });
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().code).toBe('attachment_not_found');
  });

  it('refuses what is not a photo, an empty file, an oversized file, a non-multipart body and anonymous uploads', async () => {
    const text = await upload(citizen, Buffer.from('just some text, not an image'), 'image/jpeg');
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('unsupported_file_type');
    expect((await upload(citizen, Buffer.alloc(0))).statusCode).toBe(422);
    const big = await upload(citizen, Buffer.concat([photo, Buffer.alloc(300_000)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().message_zh).toBeTruthy();
    const json = await t.app.inject({ method: 'POST', url: '/api/attachments', headers: bearer(citizen), payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    const anon = multipart('file', 'a.jpg', photo);
    expect((await t.app.inject({ method: 'POST', url: '/api/attachments', headers: anon.headers, payload: anon.payload })).statusCode).toBe(401);
  });
});
