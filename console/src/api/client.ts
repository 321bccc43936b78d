import { describeProblem } from '../domain/problems'
import type { Problem } from './types'

/** An API call that failed: the status, the problem details and a message to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(describeProblem(status, problem))
  }
}

let bearer: () => string | null = () => null
let onUnauthorized: () => void = () => {}

/** The session store hands over its token and what to do when the API no longer accepts it. */
export function configureClient(token: () => string | null, unauthorized: () => void) {
  bearer = token
  onUnauthorized = unauthorized
}

/** Calls the API with the session's token, or the one given (signing in, before the session holds it). */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = init.token ?? bearer()
  if (token) headers.Authorization = `Bearer ${token}`
  if (init.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null
    if (response.status === 401 && token) onUnauthorized()
    throw new ApiError(response.status, problem)
  }
  return (await response.json()) as T
}
