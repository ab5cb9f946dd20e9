import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { heraldRequest, jsonParameter } from './HeraldApi';

/** Herald's REST API as n8n operations: track, upsert a contact, enter a flow, launch a campaign, read its progress. */
export class Herald implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Herald',
		name: 'herald',
		icon: { light: 'file:herald.svg', dark: 'file:herald.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Track events, upsert contacts, enter flows and launch campaigns in Herald',
		defaults: { name: 'Herald' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'heraldApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Event', value: 'event' },
					{ name: 'Flow', value: 'flow' },
				],
				default: 'event',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['event'] } },
				options: [
					{
						name: 'Track',
						value: 'track',
						action: 'Track an event',
						description: 'Store an event of a contact (POST /api/track); a repeated message ID is stored once',
					},
				],
				default: 'track',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['contact'] } },
				options: [
					{
						name: 'Upsert',
						value: 'upsert',
						action: 'Create or update a contact',
						description: 'The contact with this external ID (or email) is updated, else created (POST /api/contacts)',
					},
				],
				default: 'upsert',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['flow'] } },
				options: [
					{
						name: 'Enter',
						value: 'enter',
						action: 'Enter a contact into a flow',
						description: 'Enter a contact into an active flow (POST /api/flows/{id}/entries)',
					},
				],
				default: 'enter',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['campaign'] } },
				options: [
					{
						name: 'Duplicate',
						value: 'duplicate',
						action: 'Copy a campaign into a new draft',
						description: 'A new draft with the same content and audience (POST /api/campaigns/{id}/duplicate)',
					},
					{
						name: 'Get Progress',
						value: 'getProgress',
						action: 'Get the progress of a campaign',
						description: 'State, audience, sent, failed, skipped (GET /api/campaigns/{id}/progress)',
					},
					{
						name: 'Launch',
						value: 'launch',
						action: 'Launch a campaign',
						description: 'Launch a draft or scheduled campaign now (POST /api/campaigns/{id}/launch)',
					},
				],
				default: 'launch',
			},

			// event: track
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { resource: ['event'], operation: ['track'] } },
				description: "The contact's external ID (your own user ID)",
			},
			{
				displayName: 'Event Name',
				name: 'event',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'Order Completed',
				displayOptions: { show: { resource: ['event'], operation: ['track'] } },
			},
			{
				displayName: 'Properties',
				name: 'properties',
				type: 'json',
				default: '{}',
				displayOptions: { show: { resource: ['event'], operation: ['track'] } },
				description: 'The event properties, a JSON object',
			},
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				displayOptions: { show: { resource: ['event'], operation: ['track'] } },
				description:
					'Makes retries safe: Herald stores an event with a given message ID once. Empty: the execution and item make one.',
			},

			// contact: upsert
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				displayOptions: { show: { resource: ['contact'], operation: ['upsert'] } },
				description: 'Your own user ID; an external ID or an email is needed',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				displayOptions: { show: { resource: ['contact'], operation: ['upsert'] } },
			},
			{
				displayName: 'Attributes',
				name: 'attributes',
				type: 'json',
				default: '{}',
				displayOptions: { show: { resource: ['contact'], operation: ['upsert'] } },
				description: 'Merged into the contact\'s attributes; null removes a key',
			},

			// flow: enter
			{
				displayName: 'Flow ID',
				name: 'flowId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { resource: ['flow'], operation: ['enter'] } },
			},
			{
				displayName: 'Contact External ID',
				name: 'contactExternalId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { resource: ['flow'], operation: ['enter'] } },
			},
			{
				displayName: 'Trigger Data',
				name: 'data',
				type: 'json',
				default: '{}',
				displayOptions: { show: { resource: ['flow'], operation: ['enter'] } },
				description: "What the flow's templates see as {{ trigger.* }}",
			},

			// campaign
			{
				displayName: 'Campaign ID',
				name: 'campaignId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: { show: { resource: ['campaign'] } },
			},
			{
				displayName: 'Name of the Copy',
				name: 'copyName',
				type: 'string',
				default: '',
				displayOptions: { show: { resource: ['campaign'], operation: ['duplicate'] } },
				description: 'Empty: the name of the campaign with " (copy)"',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const resource = this.getNodeParameter('resource', i) as string;
				const operation = this.getNodeParameter('operation', i) as string;
				let response: IDataObject;
				if (resource === 'event' && operation === 'track') {
					const messageId =
						(this.getNodeParameter('messageId', i, '') as string) ||
						`n8n-${this.getExecutionId()}-${this.getNode().id}-${i}`;
					response = await heraldRequest.call(this, 'POST', '/api/track', {
						userId: this.getNodeParameter('userId', i) as string,
						event: this.getNodeParameter('event', i) as string,
						properties: jsonParameter(this.getNodeParameter('properties', i, '{}'), 'Properties'),
						messageId,
					});
				} else if (resource === 'contact' && operation === 'upsert') {
					const body: IDataObject = {
						attributes: jsonParameter(this.getNodeParameter('attributes', i, '{}'), 'Attributes'),
					};
					const externalId = this.getNodeParameter('externalId', i, '') as string;
					const email = this.getNodeParameter('email', i, '') as string;
					if (!externalId && !email) {
						throw new NodeOperationError(this.getNode(), 'An external ID or an email is needed', {
							itemIndex: i,
						});
					}
					if (externalId) body.externalId = externalId;
					if (email) body.email = email;
					response = await heraldRequest.call(this, 'POST', '/api/contacts', body);
				} else if (resource === 'flow' && operation === 'enter') {
					const flowId = encodeURIComponent(this.getNodeParameter('flowId', i) as string);
					response = await heraldRequest.call(this, 'POST', `/api/flows/${flowId}/entries`, {
						contacts: [{ externalId: this.getNodeParameter('contactExternalId', i) as string }],
						data: jsonParameter(this.getNodeParameter('data', i, '{}'), 'Trigger Data'),
					});
				} else if (resource === 'campaign') {
					const campaignId = encodeURIComponent(this.getNodeParameter('campaignId', i) as string);
					if (operation === 'launch') {
						response = await heraldRequest.call(this, 'POST', `/api/campaigns/${campaignId}/launch`);
					} else if (operation === 'getProgress') {
						response = await heraldRequest.call(this, 'GET', `/api/campaigns/${campaignId}/progress`);
					} else if (operation === 'duplicate') {
						const copyName = this.getNodeParameter('copyName', i, '') as string;
						response = await heraldRequest.call(
							this,
							'POST',
							`/api/campaigns/${campaignId}/duplicate`,
							copyName ? { name: copyName } : {},
						);
					} else {
						throw new NodeOperationError(this.getNode(), `Unknown campaign operation ${operation}`, {
							itemIndex: i,
						});
					}
				} else {
					throw new NodeOperationError(this.getNode(), `Unknown operation ${resource}.${operation}`, {
						itemIndex: i,
					});
				}
				returnData.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [returnData];
	}
}
