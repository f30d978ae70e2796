import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { CRS_NAMES, type CrsName, type PropertyMapping, parsePropertyMapping } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, errorResponses, httpError, unwrap } from '../../http/errors.ts';
import { bearerSecurity } from '../../http/schemas.ts';
import { CoverageService, coverageGeoJson, presentCoverage } from './coverage.service.ts';
import {
  CoverageBody,
  CoverageQuery,
  DeleteLimitQuery,
  ExportQuery,
  ImportQuery,
  ImportReportBody,
  LimitsBody,
  LimitsQuery,
  OversizedBody,
  SetLimitRequest,
  UnitParams,
  presentLimit,
  presentOversized,
} from './geography.schemas.ts';
import { exportGridsAs } from './grid-export.service.ts';
import { type ImportMode, importGridsAs } from './grid-import.service.ts';
import { NATIONAL_SCOPE, deleteGridLimitAs, getGridLimitsAs, oversizedAs, setGridLimitAs } from './oversized.service.ts';

const tags = ['territory'];

/**
 * Grid map import 网格图导入 (multipart upload, field "file"; options as query parameters or as
 * multipart fields crs, mapping, dry_run, mode). Multipart is parsed only inside this plugin.
 */
export const gridImportRoutes: RoutePlugin = async (app, { ctx }) => {
  const maxBytes = ctx.config.uploadMaxBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 8, parts: 9 } });

  app.post(
    '/grids/import',
    {
      schema: {
        tags,
        summary: 'Import a grid map (GeoJSON FeatureCollection) — validated whole, written in one transaction or not at all; dry_run=true only reports',
        security: bearerSecurity,
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: ImportReportBody, 201: ImportReportBody, ...errorResponses, 413: ErrorBody, 415: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) {
        throw httpError(415, 'multipart_required', 'Send the GeoJSON file as multipart/form-data with a field "file"', '请以 multipart/form-data 上传 GeoJSON 文件，字段名为 file');
      }
      const fields: Record<string, string> = {};
      let content: Buffer | null = null;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          content = await part.toBuffer().catch((error: { code?: string }) => {
            if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
              throw httpError(413, 'file_too_large', `The file is larger than ${Math.round(maxBytes / 1048576)} MB (GRIDLOOP_UPLOAD_MAX_MB)`, `文件超过 ${Math.round(maxBytes / 1048576)} MB 上限（GRIDLOOP_UPLOAD_MAX_MB）`);
            }
            throw error;
          });
        } else fields[part.fieldname] = String(part.value);
      }
      if (!content) throw httpError(422, 'file_required', 'No file in the upload (field "file")', '未找到上传的文件（字段 file）');
      const options = importOptions({ ...request.query, ...fields });
      const report = unwrap(await importGridsAs(ctx.database, actor, { content, ...options }, { clock: ctx.clock, geo: ctx.geo }));
      if (!report.ok) {
        throw httpError(422, 'invalid_grid_file', `The file was rejected: ${report.errors_total} error(s), nothing imported`, `文件未通过校验：共 ${report.errors_total} 处错误，未导入任何网格`, { report });
      }
      return reply.code(report.dry_run ? 200 : 201).send(report);
    },
  );
};

/** Options from query parameters and multipart fields (fields win), checked like a schema would. */
export function importOptions(raw: Record<string, unknown>): { crs: CrsName; mapping?: Partial<PropertyMapping>; dryRun: boolean; mode: ImportMode } {
  const crsText = raw.crs === undefined ? 'WGS84' : String(raw.crs).toUpperCase().replace('-', '');
  if (!(CRS_NAMES as readonly string[]).includes(crsText)) {
    throw httpError(400, 'invalid_crs', `crs must be one of ${CRS_NAMES.join(', ')}`, `坐标系须为 ${CRS_NAMES.join('、')} 之一`, { field: 'crs' });
  }
  const mode = raw.mode === undefined ? 'create' : String(raw.mode);
  if (mode !== 'create' && mode !== 'upsert') throw httpError(400, 'invalid_mode', 'mode must be create or upsert', 'mode 须为 create 或 upsert', { field: 'mode' });
  const dry = raw.dry_run === undefined ? false : raw.dry_run === true || /^(true|1|yes)$/i.test(String(raw.dry_run));
  let mapping: Partial<PropertyMapping> | undefined;
  if (raw.mapping !== undefined && String(raw.mapping).trim() !== '') {
    const text = String(raw.mapping).trim();
    if (text.startsWith('{')) {
      try {
        mapping = parseJsonMapping(JSON.parse(text));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode) throw error;
        throw httpError(400, 'invalid_mapping', 'mapping is not valid JSON', 'mapping 不是合法的 JSON', { field: 'mapping' });
      }
    } else {
      const parsed = parsePropertyMapping(text);
      if (!parsed.ok) throw httpError(400, parsed.error.code, parsed.error.message, parsed.error.message_zh, parsed.error.details);
      mapping = parsed.value;
    }
  }
  return { crs: crsText as CrsName, mapping, dryRun: dry, mode };
}

function parseJsonMapping(value: unknown): Partial<PropertyMapping> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw httpError(400, 'invalid_mapping', 'mapping must be an object', 'mapping 须为对象', { field: 'mapping' });
  const pairs = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'string' ? v : ''}`);
  const parsed = parsePropertyMapping(pairs.join(','));
  if (!parsed.ok) throw httpError(400, parsed.error.code, parsed.error.message, parsed.error.message_zh, parsed.error.details);
  return parsed.value;
}

/** Export, coverage, oversized grids and their limits. */
export const geographyRoutes: RoutePlugin = async (app, { ctx }) => {
  const { database, geo } = ctx;
  const coverage = new CoverageService(() => geo.changes);

  app.get(
    '/grids/export',
    {
      schema: {
        tags,
        summary: 'Export the grids under a node as GeoJSON, in the requested coordinate system (imports back unchanged)',
        security: bearerSecurity,
        querystring: ExportQuery,
        response: { 200: Type.Unknown({ description: 'GeoJSON FeatureCollection' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const crs = request.query.crs ?? 'WGS84';
      const out = unwrap(await exportGridsAs(database, requireActor(request), request.query.under, crs));
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="grids-${request.query.under}-${crs}.geojson"`)
        .header('x-grids-without-geometry', String(out.withoutGeometry))
        .serializer((payload) => payload as string)
        .send(out.text as never);
    },
  );

  app.get(
    '/territory/:code/coverage',
    {
      schema: {
        tags,
        summary: 'Coverage check 全域覆盖、无缝衔接 of a village, township or county: gaps, overlaps and grid area outside the unit (m², %), with the pieces as GeoJSON',
        security: bearerSecurity,
        params: UnitParams,
        querystring: CoverageQuery,
        response: { 200: CoverageBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const c = unwrap(await coverage.coverageAs(database, requireActor(request), request.params.code));
      const pieces = coverageGeoJson(c);
      reply.header('x-cache', c.cached ? 'hit' : 'miss');
      if (request.query.format === 'geojson') {
        return reply.type('application/geo+json; charset=utf-8').serializer((payload) => payload as string).send(pieces as never);
      }
      const figures = JSON.stringify({ ...presentCoverage(c), cached: c.cached });
      return reply.type('application/json; charset=utf-8').serializer((payload) => payload as string).send(`${figures.slice(0, -1)},"geojson":${pieces}}` as never);
    },
  );

  app.get(
    '/territory/:code/oversized',
    {
      schema: {
        tags,
        summary: 'Oversized grids 超大网格 under a unit, per township: households, population or area over the limits of their kind',
        security: bearerSecurity,
        params: UnitParams,
        response: { 200: OversizedBody, ...errorResponses },
      },
    },
    async (request) => presentOversized(unwrap(await oversizedAs(database, requireActor(request), request.params.code))),
  );

  app.get(
    '/grid-limits',
    {
      schema: {
        tags,
        summary: 'Grid size limits per kind in force at a scope (default national)',
        security: bearerSecurity,
        querystring: LimitsQuery,
        response: { 200: LimitsBody, ...errorResponses },
      },
    },
    async (request) => {
      const r = unwrap(await getGridLimitsAs(database, requireActor(request), request.query.scope ?? NATIONAL_SCOPE));
      return { scope: r.scope, limits: r.limits.map(presentLimit) };
    },
  );

  app.put(
    '/grid-limits',
    {
      schema: {
        tags,
        summary: "Set a kind's limits for a scope ('*' = national: admins without a scope; a region: admins over it); null = no limit",
        security: bearerSecurity,
        body: SetLimitRequest,
        response: { 200: Type.Object({ kind: Type.String(), households: Type.Union([Type.Integer(), Type.Null()]), population: Type.Union([Type.Integer(), Type.Null()]), area_m2: Type.Union([Type.Number(), Type.Null()]), source: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const limit = unwrap(
        await setGridLimitAs(database, requireActor(request), { scope: b.scope_code ?? NATIONAL_SCOPE, kind: b.kind, households: b.households, population: b.population, areaM2: b.area_m2 }, ctx.clock),
      );
      return presentLimit(limit);
    },
  );

  app.delete(
    '/grid-limits',
    {
      schema: {
        tags,
        summary: "Remove a scope's own limit for a kind (the scope above, or the default, applies again)",
        security: bearerSecurity,
        querystring: DeleteLimitQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const r = unwrap(await deleteGridLimitAs(database, requireActor(request), request.query.scope, request.query.kind));
      if (!r.deleted) throw httpError(404, 'limit_not_found', 'No limit of that kind is set on that scope', '该范围未设置此类型的上限');
      return reply.code(204).send(null);
    },
  );
};
