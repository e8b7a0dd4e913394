import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from './errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every error leaves as `application/problem+json` (RFC 9457); 500s never show internals. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return sendProblem(reply, err.status, err.message, err.code, err.errors);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors: FieldError[] = err.validation.map((v) => ({
        path: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || (err.validationContext ?? ''),
        message: v.message ?? 'Invalid value',
      }));
      return sendProblem(reply, 400, `Invalid ${err.validationContext ?? 'request'}`, 'validation', errors);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      request.log.error({ err }, 'unhandled error');
      return sendProblem(reply, 500, 'An unexpected error occurred; it has been logged.', 'internal');
    }
    return sendProblem(reply, status, err.message, err.code?.toLowerCase());
  });

  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, 404, `No route for ${request.method} ${request.url.split('?')[0]}`, 'route_not_found');
  });
}

export function sendProblem(reply: FastifyReply, status: number, detail: string, code?: string, errors?: FieldError[]) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      status,
      title: TITLES[status] ?? 'Error',
      detail,
      ...(code ? { code } : {}),
      ...(errors ? { errors } : {}),
    });
}
