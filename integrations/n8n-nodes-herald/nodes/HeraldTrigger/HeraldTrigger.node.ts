import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { heraldRequest } from '../Herald/HeraldApi';
import { verify } from './StandardWebhooks';

/** What the trigger keeps between activation and deactivation (the workflow's static data of this node). */
interface Subscription extends IDataObject {
	webhookId?: string;
	webhookSecret?: string;
}

const EVENT_TYPES = [
	['campaign.launched', 'A campaign was launched'],
	['campaign.completed', 'A campaign has sent to its whole audience'],
	['campaign.failed', 'A campaign run cannot go on, or its failure rate crossed the threshold'],
	['delivery.failed', 'Messages failed for good (batched per campaign and minute)'],
	['contact.created', 'A contact was created'],
	['contact.updated', 'A contact changed'],
	['contact.unsubscribed', 'A contact unsubscribed'],
	['import.completed', 'A contact import finished'],
	['import.failed', 'A contact import failed'],
	['flow.entered', 'A contact entered a flow'],
	['flow.exited', 'A contact left a flow'],
	['flow.completed', "A contact's flow run completed"],
] as const;

function header(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Starts a workflow on Herald's webhook events. Activating the workflow subscribes its webhook URL in Herald
 * (`POST /api/webhooks`, the secret kept in the workflow's static data); every delivery's Standard Webhooks signature
 * is checked (HMAC-SHA256, constant time, 300 s age limit) and a forged or stale one is answered 401 and starts
 * nothing; deactivating deletes the subscription.
 */
export class HeraldTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Herald Trigger',
		name: 'heraldTrigger',
		icon: { light: 'file:herald.svg', dark: 'file:herald.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: "Starts the workflow on Herald's events (signed webhooks)",
		defaults: { name: 'Herald Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'heraldApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				options: EVENT_TYPES.map(([value, description]) => ({ name: value, value, description })),
				description: 'The Herald events that start the workflow',
			},
			{
				displayName: 'Description',
				name: 'subscriptionDescription',
				type: 'string',
				default: '',
				description: "Shown in Herald's list of webhooks (default: the workflow's name)",
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as Subscription;
				if (!data.webhookId || !data.webhookSecret) {
					return false;
				}
				try {
					const existing = await heraldRequest.call(
						this,
						'GET',
						`/api/webhooks/${encodeURIComponent(data.webhookId)}`,
					);
					if (existing.url === this.getNodeWebhookUrl('default')) {
						return true;
					}
				} catch (error) {
					if ((error as NodeApiError).httpCode !== '404') {
						throw new NodeOperationError(this.getNode(), error as Error);
					}
				}
				delete data.webhookId;
				delete data.webhookSecret;
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const events = this.getNodeParameter('events') as string[];
				const description =
					(this.getNodeParameter('subscriptionDescription', '') as string) ||
					`n8n: ${this.getWorkflow().name ?? this.getWorkflow().id}`;
				const created = await heraldRequest.call(this, 'POST', '/api/webhooks', {
					url: this.getNodeWebhookUrl('default'),
					eventTypes: events,
					description,
					enabled: true,
				});
				if (typeof created.id !== 'string' || typeof created.secret !== 'string') {
					throw new NodeApiError(this.getNode(), created as never, {
						message: 'Herald answered the subscription without its id or secret',
					});
				}
				const data = this.getWorkflowStaticData('node') as Subscription;
				data.webhookId = created.id;
				data.webhookSecret = created.secret;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as Subscription;
				if (data.webhookId) {
					try {
						await heraldRequest.call(this, 'DELETE', `/api/webhooks/${encodeURIComponent(data.webhookId)}`);
					} catch (error) {
						// gone already is what deleting wants; anything else is reported
						if ((error as NodeApiError).httpCode !== '404') {
							throw new NodeOperationError(this.getNode(), error as Error);
						}
					}
				}
				delete data.webhookId;
				delete data.webhookSecret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const data = this.getWorkflowStaticData('node') as Subscription;
		if (!request.rawBody) {
			await request.readRawBody();
		}
		const rawBody = request.rawBody ?? Buffer.alloc(0);
		const result = data.webhookSecret
			? verify([data.webhookSecret], {
					id: header(request.headers['webhook-id']),
					timestamp: header(request.headers['webhook-timestamp']),
					signature: header(request.headers['webhook-signature']),
					rawBody,
				})
			: ({ valid: false, reason: 'no subscription secret: activate the workflow again' } as const);
		if (!result.valid) {
			response.status(401).json({ error: 'invalid signature', reason: result.reason });
			return { noWebhookResponse: true };
		}
		const body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					...body,
					webhookId: header(request.headers['webhook-id']),
				}),
			],
		};
	}
}
