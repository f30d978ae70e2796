import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import type { DispatchModule } from './dispatch.module.ts';
import { ImportBody, ListHeaderView, ListView, ScopeParams, VersionQuery } from './dispatch.schemas.ts';
import { XLSX_MIME } from './responsibility.sheet.ts';

const MAX_XLSX = 10 * 1024 * 1024;
const ImportQuery = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

/** 履行职责事项清单: import (Excel or JSON) as a new version, read any version, export as Excel. */
export const responsibilityRoutes: FastifyPluginAsyncTypebox<{ mod: DispatchModule }> = async (r, { mod }) => {
  // Uploads are parsed only inside this plugin: multipart (field "file") or the raw .xlsx body.
  await r.register(multipart, { limits: { fileSize: MAX_XLSX, files: 1, fields: 5, parts: 6 } });
  r.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: MAX_XLSX }, (_req, body, done) => done(null, body));

  r.get('/responsibility-lists', {
    schema: {
      tags: ['dispatch'], summary: '履行职责事项清单 The active version of every list (optionally under a region)',
      querystring: Type.Object({ under: Type.Optional(Type.String({ pattern: '^[0-9]{2,9}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Array(ListHeaderView), ...errorResponses },
    },
  }, async (req) => mod.lists.listActive(requireActor(req), req.query.under ?? null));

  r.get('/responsibility-lists/:scopeCode', {
    schema: { tags: ['dispatch'], summary: 'One list with its items (the newest version, or ?version=n)', params: ScopeParams, querystring: VersionQuery, response: { 200: ListView, ...errorResponses } },
  }, async (req) => {
    const { header, list } = await mod.lists.get(requireActor(req), req.params.scopeCode, req.query.version);
    return { ...header, items: list.items };
  });

  r.get('/responsibility-lists/:scopeCode/versions', {
    schema: { tags: ['dispatch'], summary: 'Every version of a list, newest first', params: ScopeParams, response: { 200: Type.Array(ListHeaderView), ...errorResponses } },
  }, async (req) => mod.lists.versions(requireActor(req), req.params.scopeCode));

  r.post('/responsibility-lists/:scopeCode', {
    schema: { tags: ['dispatch'], summary: 'Store a new version from JSON items (admin); every problem is reported with its row, nothing stored', params: ScopeParams, body: ImportBody, response: { 201: ListView, ...errorResponses } },
  }, async (req, reply) => {
    const list = await mod.lists.importItems(requireActor(req), req.params.scopeCode, req.body);
    reply.code(201);
    return { ...(await mod.lists.get(requireActor(req), list.scopeCode, list.version)).header, items: list.items };
  });

  r.post('/responsibility-lists/:scopeCode/import', {
    schema: {
      tags: ['dispatch'], summary: 'Import a new version from an Excel sheet (multipart field "file", or the raw .xlsx body) (admin)',
      consumes: ['multipart/form-data', XLSX_MIME], params: ScopeParams, querystring: ImportQuery, response: { 201: ListView, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    let data: Buffer;
    let meta = { name: req.query.name, note: req.query.note };
    if (req.isMultipart()) {
      const file = await req.file();
      if (!file) throw httpError(422, 'file_required', 'No file in the upload', '未找到上传的文件');
      data = await file.toBuffer().catch((error: { code?: string }) => {
        if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw httpError(413, 'file_too_large', 'The sheet is larger than 10 MB', '表格超过 10 MB 上限');
        throw error;
      });
      const field = (k: string) => {
        const f = file.fields[k] as { value?: unknown } | undefined;
        return typeof f?.value === 'string' ? f.value : undefined;
      };
      meta = { name: meta.name ?? field('name'), note: meta.note ?? field('note') };
    } else if (Buffer.isBuffer(req.body)) {
      data = req.body;
    } else {
      throw httpError(415, 'xlsx_required', `Send the sheet as multipart/form-data (field "file") or as ${XLSX_MIME}`, '请以 multipart/form-data（字段 file）或 xlsx 格式上传表格');
    }
    const list = await mod.lists.importSheet(actor, req.params.scopeCode, data, meta);
    reply.code(201);
    return { ...(await mod.lists.get(actor, list.scopeCode, list.version)).header, items: list.items };
  });

  r.get('/responsibility-lists/:scopeCode/export', {
    schema: {
      tags: ['dispatch'], summary: 'The list as an Excel sheet (an empty template when there is none yet)', params: ScopeParams, querystring: VersionQuery, produces: [XLSX_MIME],
      response: { 200: { description: 'The .xlsx workbook', content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const { data, filename } = await mod.lists.exportSheet(requireActor(req), req.params.scopeCode, req.query.version);
    reply.header('content-type', XLSX_MIME).header('content-disposition', `attachment; filename="${filename}"`);
    // A Buffer is sent as is (no serialisation); the schema above only documents it as binary.
    return reply.send(data as unknown as string);
  });
};
