import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Herald's address and an API key (`hk_…`), sent as `Authorization: Bearer` on every request. */
export class HeraldApi implements ICredentialType {
	name = 'heraldApi';

	displayName = 'Herald API';

	icon = 'file:herald.svg' as const;

	documentationUrl = 'https://github.com/herald-platform/herald/tree/main/integrations/n8n-nodes-herald#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8080',
			placeholder: 'https://herald.example.com',
			description: 'Where Herald listens, without /api',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'A key from POST /api/api-keys (hk_…). Scopes: events:write (track), contacts:write (upsert), flows:enter, campaigns:launch, read (progress), webhooks:write (the trigger).',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/me',
			method: 'GET',
		},
	};
}
