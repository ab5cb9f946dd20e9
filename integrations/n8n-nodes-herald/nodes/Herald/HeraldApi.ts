import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** One call to Herald's REST API with the `heraldApi` credential; Herald's problem+json errors become NodeApiErrors. */
export async function heraldRequest(
	this: IExecuteFunctions | IHookFunctions,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<IDataObject> {
	const credentials = await this.getCredentials<{ baseUrl: string }>('heraldApi');
	const options: IHttpRequestOptions = {
		method,
		url: `${credentials.baseUrl.replace(/\/+$/, '')}${path}`,
		json: true,
		headers: { Accept: 'application/json, application/problem+json' },
	};
	if (body !== undefined) {
		options.body = body;
	}
	if (qs !== undefined) {
		options.qs = qs;
	}
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, 'heraldApi', options)) as IDataObject;
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/** A JSON parameter given as an object or as text. */
export function jsonParameter(value: unknown, name: string): IDataObject {
	if (value === undefined || value === null || value === '') {
		return {};
	}
	if (typeof value === 'string') {
		const parsed: unknown = JSON.parse(value);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			throw new Error(`${name} must be a JSON object`);
		}
		return parsed as IDataObject;
	}
	if (typeof value === 'object' && !Array.isArray(value)) {
		return value as IDataObject;
	}
	throw new Error(`${name} must be a JSON object`);
}
