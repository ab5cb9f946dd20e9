import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { API_BASE } from "./public";
import { authorizedFetch } from "@/auth/session";

export * from "./public";
export { call } from "./call";

/** The typed client for every authenticated endpoint (paths and bodies checked against openapi.json). */
export const api = createClient<paths>({ baseUrl: API_BASE, fetch: authorizedFetch });
