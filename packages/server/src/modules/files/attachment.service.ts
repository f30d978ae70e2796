import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import type { Actor, Clock } from '@gridloop/domain';
import { can, caseSubject } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError } from '../../http/errors.ts';
import type { Attachment } from '../cases/case.repository.ts';
import { findAttachment, findCaseById, insertAttachment } from '../cases/case.repository.ts';

/** Photo types accepted, by sniffed content (never by the name or the declared type). */
export const PHOTO_TYPES: ReadonlyMap<string, string> = new Map([
  ['image/jpeg', 'jpg'], ['image/png', 'png'], ['image/webp', 'webp'], ['image/heic', 'heic'], ['image/avif', 'avif'],
]);

export interface AttachmentServiceDeps {
  database: Database;
  clock: Clock;
  dataDir: string;
}

/** Writes and fsyncs a file, then renames it into place: an acknowledged upload survives a crash. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function exifLocation(data: Buffer): Promise<{ lng: number; lat: number } | null> {
  try {
    const gps = await exifr.gps(data);
    if (gps && Number.isFinite(gps.longitude) && Number.isFinite(gps.latitude)) return { lng: gps.longitude, lat: gps.latitude };
  } catch {
    // A photo without readable EXIF is still a photo.
  }
  return null;
}

export function createAttachmentService(deps: AttachmentServiceDeps) {
  const root = join(deps.dataDir, 'attachments');
  return {
    async store(actor: Actor, data: Buffer): Promise<Attachment> {
      if (data.length === 0) throw httpError(422, 'empty_file', 'The file is empty', '文件为空');
      const type = await fileTypeFromBuffer(data);
      const ext = type ? PHOTO_TYPES.get(type.mime) : undefined;
      if (!type || !ext) {
        throw httpError(415, 'unsupported_file_type', `Only photos are accepted (${[...PHOTO_TYPES.keys()].join(', ')})`, '仅支持上传照片（JPEG、PNG、WebP、HEIC、AVIF）');
      }
      const id = randomUUID();
      const sha256 = createHash('sha256').update(data).digest('hex');
      const storagePath = join(sha256.slice(0, 2), `${id}.${ext}`);
      await writeDurably(join(root, storagePath), data);
      const gps = await exifLocation(data);
      const a: Attachment = {
        id, caseId: null, mime: type.mime, size: data.length, sha256, storagePath,
        exifLng: gps?.lng ?? null, exifLat: gps?.lat ?? null, uploadedBy: actor.userId, createdAt: deps.clock.now().toISOString(),
      };
      await deps.database.write((trx) => insertAttachment(trx, a));
      return a;
    },

    /** The file, for its uploader or anyone who may read the case it belongs to; EXIF for staff only. */
    async load(actor: Actor, id: string): Promise<{ attachment: Attachment; data: Buffer; showExif: boolean }> {
      const a = await findAttachment(deps.database.db, id);
      const missing = () => httpError(404, 'attachment_not_found', 'No such attachment, or not visible to you', '附件不存在或您无权查看');
      if (!a) throw missing();
      let showExif = a.uploadedBy === actor.userId && actor.role !== 'citizen';
      if (a.uploadedBy !== actor.userId) {
        const c = a.caseId ? await findCaseById(deps.database.db, a.caseId) : null;
        if (!c || !can(actor, 'case.read', caseSubject(c))) throw missing();
        showExif = actor.role !== 'citizen' && can(actor, 'case.read_personal', caseSubject(c));
      }
      return { attachment: a, data: await readFile(join(root, a.storagePath)), showExif };
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
