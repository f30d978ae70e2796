/**
 * Every failure leaves the server as `{ code, message, message_zh, details? }` with a 4xx status;
 * a 500 means a bug on our side, never a bad request.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import type { DomainError, Result } from '@gridloop/domain';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly message_zh: string;
  readonly details?: Record<string, unknown>;
  constructor(statusCode: number, code: string, message: string, message_zh: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.message_zh = message_zh;
    if (details) this.details = details;
  }
}

export function httpError(status: number, code: string, message: string, message_zh: string, details?: Record<string, unknown>): HttpError {
  return new HttpError(status, code, message, message_zh, details);
}

/** The error body every route declares for its 4xx responses (OpenAPI). */
export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    message_zh: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'Error: machine code plus English and Chinese messages' },
);

/** Responses shared by every authenticated route, to spread into `schema.response`. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
} as const;

const STATUS_BY_DOMAIN_CODE: Record<string, number> = {
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  version_conflict: 409,
  duplicate: 409,
  conflict: 409,
  grid_has_children: 409,
  extension_pending: 409,
  deferral_pending: 409,
  no_extension_pending: 409,
  no_deferral_pending: 409,
  already_exists: 409,
  field_required: 422,
  login_locked: 429,
};

/** HTTP status for a domain error code: the table, then `*_not_found` → 404, `*_conflict` → 409, else 422. */
export function statusForDomainCode(code: string): number {
  const exact = STATUS_BY_DOMAIN_CODE[code];
  if (exact !== undefined) return exact;
  if (code.endsWith('_not_found')) return 404;
  if (code.endsWith('_conflict') || code.startsWith('duplicate_')) return 409;
  return 422;
}

export function fromDomainError(e: DomainError): HttpError {
  return new HttpError(statusForDomainCode(e.code), e.code, e.message, e.message_zh, e.details);
}

/** The value of an ok Result; a failed one is thrown as the matching HttpError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw fromDomainError(result.error);
}

// ----- validation messages --------------------------------------------------------------------

const CONTEXT_NAMES: Record<string, [string, string]> = {
  body: ['request body', '请求体'],
  querystring: ['query string', '查询参数'],
  params: ['path parameter', '路径参数'],
  headers: ['header', '请求头'],
};

function fieldOf(error: FastifySchemaValidationError): string {
  const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const missing = (params.requiredProperties ?? params.missingProperty) as string[] | string | undefined;
    const name = Array.isArray(missing) ? missing[0] : missing;
    if (name) parts.push(name);
  } else if (error.keyword === 'additionalProperties') {
    const extra = (params.additionalProperties ?? params.additionalProperty) as string[] | string | undefined;
    const name = Array.isArray(extra) ? extra[0] : extra;
    if (name) parts.push(name);
  }
  return parts.join('.');
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describe(error: FastifySchemaValidationError, allowed: unknown[] | null, types: string[] | null = null): [string, string] {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': return ['is required', '为必填项'];
    case 'additionalProperties': return ['is not an accepted field', '不是可接受的字段'];
    case 'type': return [`must be ${p.type}`, `类型应为 ${p.type}`];
    case 'enum':
    case 'const':
    case 'anyOf': {
      if (types && types.length > 0) return [`must be ${types.join(' or ')}`, `类型应为 ${types.join(' 或 ')}`];
      if (allowed && allowed.length > 0) {
        const list = clip(allowed.map((v) => String(v)).join(', '));
        return [`must be one of: ${list}`, `取值应为以下之一：${list}`];
      }
      return ['does not match any accepted form', '不符合任何可接受的格式'];
    }
    case 'maxLength': return [`must not be longer than ${p.limit} characters`, `长度不能超过 ${p.limit} 个字符`];
    case 'minLength': return [`must not be shorter than ${p.limit} characters`, `长度不能少于 ${p.limit} 个字符`];
    case 'maximum': return [`must be <= ${p.limit}`, `不能大于 ${p.limit}`];
    case 'minimum': return [`must be >= ${p.limit}`, `不能小于 ${p.limit}`];
    case 'maxItems': return [`must not have more than ${p.limit} items`, `元素不能超过 ${p.limit} 个`];
    case 'minItems': return [`must not have fewer than ${p.limit} items`, `元素不能少于 ${p.limit} 个`];
    case 'pattern': return [`must match the pattern ${clip(p.pattern)}`, `格式不正确（应匹配 ${clip(p.pattern)}）`];
    case 'format': return [`must be a valid ${p.format}`, `应为有效的 ${p.format}`];
    default: return [error.message ?? 'is invalid', '不合法'];
  }
}

/** For a union whose members failed only on type (e.g. string | null): the accepted types. */
function unionTypes(errors: FastifySchemaValidationError[], path: string): string[] | null {
  const members = errors.filter((e) => e.instancePath === path && e.keyword !== 'anyOf');
  if (members.length === 0 || members.some((e) => e.keyword !== 'type')) return null;
  return [...new Set(members.map((e) => String((e.params as Record<string, unknown>).type)))];
}

function allowedValues(errors: FastifySchemaValidationError[], path: string): unknown[] | null {
  const values: unknown[] = [];
  for (const e of errors) {
    if (e.instancePath !== path) continue;
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) values.push(...p.allowedValues);
    if (e.keyword === 'const' && 'allowedValue' in p) values.push(p.allowedValue);
  }
  return values.length > 0 ? values : null;
}

/** 400 `validation_failed`, naming the first failing field; every failure goes into `details`. */
export function validationError(errors: FastifySchemaValidationError[], context: string | undefined): HttpError {
  // "schema is false" duplicates the additionalProperties error that follows it.
  const useful = errors.filter((e) => e.keyword !== 'boolean' || !errors.some((o) => o.keyword === 'additionalProperties'));
  const list = useful.length > 0 ? useful : errors;
  const first = list[0];
  // A union reports each member's failure, then its own: pick the most telling one.
  const union = list.find((e) => e.keyword === 'anyOf' && e.instancePath === first?.instancePath);
  const members = union ? list.filter((e) => e.instancePath === union.instancePath && e.keyword !== 'anyOf') : [];
  // e.g. a string|null field holding a string of the wrong shape: the string member's complaint.
  const specific = members.find((e) => e.keyword !== 'type' && e.keyword !== 'const' && e.keyword !== 'enum');
  const main = specific ?? union ?? first;
  const [where, where_zh] = CONTEXT_NAMES[context ?? 'body'] ?? CONTEXT_NAMES.body;
  if (!main) return httpError(400, 'validation_failed', `Invalid ${where}`, `${where_zh}校验失败`);
  const field = fieldOf(main);
  const [what, what_zh] = describe(main, allowedValues(list, main.instancePath), union ? unionTypes(list, main.instancePath) : null);
  const subject = field ? `field "${field}"` : 'the value';
  const subject_zh = field ? `字段“${field}”` : '取值';
  return httpError(400, 'validation_failed', `Invalid ${where}: ${subject} ${what}`, `${where_zh}校验失败：${subject_zh}${what_zh}`, {
    location: context ?? 'body',
    field,
    errors: list.slice(0, 10).map((e) => ({ field: fieldOf(e), keyword: e.keyword, message: e.message ?? '' })),
  });
}

// ----- the handlers ---------------------------------------------------------------------------

const GENERIC_BY_STATUS: Record<number, [string, string, string]> = {
  400: ['bad_request', 'Bad request', '请求不合法'],
  401: ['unauthenticated', 'Authentication required', '需要登录'],
  403: ['forbidden', 'Forbidden', '无权执行此操作'],
  404: ['not_found', 'Not found', '未找到'],
  405: ['method_not_allowed', 'Method not allowed', '不支持该请求方法'],
  406: ['not_acceptable', 'Not acceptable', '无法提供所请求的格式'],
  408: ['request_timeout', 'Request timeout', '请求超时'],
  409: ['conflict', 'Conflict', '请求冲突'],
  413: ['payload_too_large', 'Request body too large', '请求体过大'],
  414: ['uri_too_long', 'URI too long', '请求地址过长'],
  415: ['unsupported_media_type', 'Unsupported media type', '不支持的内容类型'],
  429: ['too_many_requests', 'Too many requests', '请求过于频繁'],
};

/** Fastify's own errors (parsing, limits, routing) → our HttpError. Null when not one of them. */
export function fromFastifyError(error: FastifyError, request?: FastifyRequest): HttpError | null {
  if (error.validation) return validationError(error.validation, error.validationContext);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return httpError(400, 'invalid_json', 'The request body is not valid JSON', '请求体不是合法的 JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return httpError(400, 'invalid_json', 'The request body is empty but declared as JSON', '请求体为空，但声明为 JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return httpError(413, 'payload_too_large', 'The request body is too large', '请求体过大');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = clip(request?.headers['content-type'] ?? '(none)');
      return httpError(415, 'unsupported_media_type', `Unsupported content type ${type}: send application/json`, `不支持的内容类型 ${type}，请使用 application/json`);
    }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return httpError(400, 'invalid_content_length', 'Content-Length does not match the body', 'Content-Length 与请求体长度不一致');
    case 'FST_ERR_BAD_URL':
      return httpError(400, 'invalid_url', 'The request URL is malformed', '请求地址格式不正确');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return httpError(414, 'uri_too_long', 'A path parameter is too long', '路径参数过长');
  }
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [code, message, message_zh] = GENERIC_BY_STATUS[status] ?? ['bad_request', 'Bad request', '请求不合法'];
    // Fastify and its plugins write safe, fixed messages for their 4xx errors.
    return httpError(status, code, error.message || message, message_zh);
  }
  return null;
}

function send(reply: FastifyReply, e: HttpError): void {
  const body: Record<string, unknown> = { code: e.code, message: e.message, message_zh: e.message_zh };
  if (e.details) body.details = e.details;
  if (e.statusCode === 401) reply.header('www-authenticate', 'Bearer');
  void reply.status(e.statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/** For the `frameworkErrors` server option: bad URLs and overlong params, which bypass the error handler. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  send(reply, fromFastifyError(error, request) ?? httpError(400, 'bad_request', 'Bad request', '请求不合法'));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request, reply) => {
    if (error instanceof HttpError) return send(reply, error);
    const mapped = fromFastifyError(error as FastifyError, request);
    if (mapped) {
      if (mapped.statusCode >= 400) request.log.info({ code: mapped.code, err: error.message }, 'request refused');
      return send(reply, mapped);
    }
    request.log.error({ err: error }, 'unexpected error');
    send(reply, httpError(500, 'internal_error', 'Internal server error', '服务器内部错误'));
  });
  app.setNotFoundHandler((request, reply) => {
    const url = clip(request.url.split('?')[0] ?? '');
    send(reply, httpError(404, 'route_not_found', `No route ${request.method} ${url}`, `接口不存在：${request.method} ${url}`));
  });
}
