import { ApiError, toApiError } from "./problem";

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError carrying the
 * problem+json (or a "cannot reach Herald" error when the network failed).
 */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, { detail: "Herald cannot be reached. Check the connection and try again." });
  }
  if (!answer.response.ok) throw toApiError(answer.response.status, answer.error);
  return answer.data as T;
}
