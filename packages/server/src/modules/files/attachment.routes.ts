import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { createAttachmentService } from './attachment.service.ts';

const AttachmentView = Type.Object({
  id: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
});

/**
 * Photos 照片: uploaded first (multipart, field `file`), then named in a case's `attachments`.
 * The type is sniffed from the bytes; the size is limited by GRIDLOOP_UPLOAD_MAX_MB.
 */
export const attachmentRoutes: RoutePlugin = async (r, { ctx }) => {
  const maxBytes = ctx.config.uploadMaxBytes;
  const attachments = createAttachmentService({ database: ctx.database, clock: ctx.clock, dataDir: ctx.config.dataDir });
  // Multipart is parsed only inside this plugin (encapsulated): every other route takes JSON only.
  await r.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });

  r.post('/attachments', {
    schema: {
      tags: ['cases'], summary: '上传照片 Upload a photo (multipart/form-data, field "file")', consumes: ['multipart/form-data'],
      response: { 201: AttachmentView, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!req.isMultipart()) throw httpError(415, 'multipart_required', 'Send the photo as multipart/form-data with a field "file"', '请以 multipart/form-data 上传，字段名为 file');
    const file = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 5 } });
    if (!file) throw httpError(422, 'file_required', 'No file in the upload', '未找到上传的文件');
    const data = await file.toBuffer().catch((error: { code?: string }) => {
      if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw httpError(413, 'file_too_large', `The photo is larger than ${Math.round(maxBytes / 1048576)} MB`, `照片超过 ${Math.round(maxBytes / 1048576)} MB 上限`);
      }
      throw error;
    });
    const a = await attachments.store(actor, data);
    reply.code(201);
    return { id: a.id, mime: a.mime, size: a.size, sha256: a.sha256, createdAt: a.createdAt };
  });

  r.get('/attachments/:id', {
    schema: { tags: ['cases'], summary: '查看照片 Download a photo', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
  }, async (req, reply) => {
    const { attachment, data, showExif } = await attachments.load(requireActor(req), req.params.id);
    reply.header('content-type', attachment.mime).header('cache-control', 'private, max-age=86400');
    if (showExif && attachment.exifLng !== null) reply.header('x-exif-location', `${attachment.exifLng},${attachment.exifLat}`);
    return reply.send(data);
  });
};
