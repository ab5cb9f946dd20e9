import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

/** Herald's origin; empty means "the origin this page came from" (the app is served by api-gateway). */
export const API_BASE = (process.env.NEXT_PUBLIC_HERALD_API_URL ?? "").replace(/\/$/, "");

/**
 * The client for the sign-in endpoints: it sends cookies (the httpOnly refresh cookie lives on
 * /api/auth) and no access token. Everything else goes through `api` in ./client.
 */
export const publicApi = createClient<paths>({ baseUrl: API_BASE, credentials: "include" });

export type Schemas = components["schemas"];
export type User = Schemas["User"];
export type Role = NonNullable<User["roles"]>[number];
export type Me = Schemas["Me"];
export type SessionResponse = Schemas["SessionResponse"];
export type CampaignView = Schemas["CampaignView"];
export type CampaignPage = Schemas["CampaignPage"];
export type CampaignContent = Schemas["CampaignContent"];
export type CampaignStatus = NonNullable<CampaignView["status"]>;
export type Channel = NonNullable<CampaignView["channel"]>;
/**
 * One event of an aggregate's history (GET /api/{campaigns,segments,flows}/{id}/history), by hand: in
 * the OpenAPI document the schema name "Entry" is taken by the flow's entry node (both records are
 * named Entry), so Schemas["Entry"] is not this.
 */
export interface HistoryEntry {
  actor?: string;
  correlationId?: string;
  payload?: { [key: string]: unknown };
  revision?: string;
  sequence?: number;
  timestamp?: string;
  type?: string;
}
/** A history answer ({ …, events }) with its events typed as what they are (see HistoryEntry). */
export type WithHistory<T> = Omit<T, "events"> & { events?: HistoryEntry[] };
export type Invitation = Schemas["Invitation"];
export type IssuedInvitation = Schemas["IssuedInvitation"];
export type ApiKey = Schemas["ApiKey"];
export type CreatedApiKey = Schemas["Created"];

export const ROLES: Role[] = ["ADMIN", "MARKETER", "ANALYST"];
export const CAMPAIGN_STATUSES: CampaignStatus[] = ["DRAFT", "SCHEDULED", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED", "FAILED"];
export const CHANNELS: Channel[] = ["EMAIL", "SMS", "WEBHOOK"];
