import {
  DeliveryPageSchema,
  ListDeliveriesQuerySchema,
  NotificationSettingsInputSchema,
  NotificationSettingsSchema,
  TestNotificationResultSchema,
} from '@medsec/core';
import type { RegisterRoutes } from '../../http/types.ts';
import {
  getNotificationSettings,
  listDeliveries,
  sendTestNotification,
  updateNotificationSettings,
} from './notifications.service.ts';

const tags = ['notifications'];

/** Notification settings, the delivery log and the test message of the organization. */
export const registerNotificationRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/notifications/settings', {
    config: { security: { access: 'notifications:read' } },
    schema: {
      tags,
      summary:
        'Notification settings: e-mail recipients, webhook (its secret is never returned), events; whether e-mail is available on this server',
      response: { 200: NotificationSettingsSchema },
    },
    handler: async (request) => getNotificationSettings(request.ctx),
  });
  app.put('/api/v1/notifications/settings', {
    config: { security: { access: 'notifications:manage' } },
    schema: {
      tags,
      summary:
        'Save the notification settings (audited); the webhook secret is sealed at rest; omit it to keep the current one',
      body: NotificationSettingsInputSchema,
      response: { 200: NotificationSettingsSchema },
    },
    handler: async (request) => updateNotificationSettings(request.ctx, request.body),
  });
  app.get('/api/v1/notifications/deliveries', {
    config: { security: { access: 'notifications:read' } },
    schema: {
      tags,
      summary: 'The delivery log: digests and test messages with their attempts and status',
      querystring: ListDeliveriesQuerySchema,
      response: { 200: DeliveryPageSchema },
    },
    handler: async (request) => listDeliveries(request.ctx, request.query),
  });
  app.post('/api/v1/notifications/test', {
    config: { security: { access: 'notifications:manage' } },
    schema: {
      tags,
      summary: 'Send a test message now on every channel that is switched on and configured (audited)',
      response: { 200: TestNotificationResultSchema },
    },
    handler: async (request) => sendTestNotification(request.ctx),
  });
};
