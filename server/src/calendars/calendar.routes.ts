import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  BusinessMinutesBody, BusinessMinutesResult, Calendar, CalendarListQuery, CreateCalendarBody, DeadlineBody, DeadlineResult, UpdateCalendarBody,
} from '../../../contract/calendars.ts';
import { IdParams, page } from '../../../contract/common.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as calendars from './calendar.service.ts';

const tags = ['calendars'];

export function calendarRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/calendars', {
      schema: { tags, summary: 'Create a business calendar: zone, weekly hours, holidays (manager)', body: CreateCalendarBody, response: { 201: Calendar } },
      handler: async (request, reply) => reply.code(201).send(await calendars.createCalendar(ctx, actorOf(request), request.body)),
    });
    app.get('/calendars', {
      schema: { tags, summary: 'Business calendars (staff)', querystring: CalendarListQuery, response: { 200: page(Calendar) } },
      handler: async (request) => calendars.listCalendars(ctx, actorOf(request), request.query),
    });
    app.get('/calendars/:id', {
      schema: { tags, summary: 'One calendar (staff)', params: IdParams, response: { 200: Calendar } },
      handler: async (request) => calendars.getCalendar(ctx, actorOf(request), request.params.id),
    });
    app.patch('/calendars/:id', {
      schema: { tags, summary: 'Update a calendar; `active: false` deactivates it (manager)', params: IdParams, body: UpdateCalendarBody, response: { 200: Calendar } },
      handler: async (request) => calendars.updateCalendar(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/calendars/:id', {
      schema: { tags, summary: 'Deactivate a calendar (never deleted: policies point to it)', params: IdParams, response: { 200: Calendar } },
      handler: async (request) => calendars.updateCalendar(ctx, actorOf(request), request.params.id, { active: false }),
    });
    app.post('/calendars/:id/deadline', {
      schema: { tags, summary: 'When `minutes` business minutes have elapsed after `start`', params: IdParams, body: DeadlineBody, response: { 200: DeadlineResult } },
      handler: async (request) => calendars.calendarDeadline(ctx, actorOf(request), request.params.id, request.body),
    });
    app.post('/calendars/:id/business-minutes', {
      schema: { tags, summary: 'Business minutes between `from` and `to`', params: IdParams, body: BusinessMinutesBody, response: { 200: BusinessMinutesResult } },
      handler: async (request) => calendars.calendarBusinessMinutes(ctx, actorOf(request), request.params.id, request.body),
    });
  };
}
