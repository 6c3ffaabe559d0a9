import { randomUUID } from "node:crypto";
import { agentPaths } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";

/** What a test sees of an agent answer. */
export interface AgentAnswer {
  status: number;
  json: unknown;
}

/** Sends one request to a loopback agent, signed with `secret` unless `sign: false`. */
export async function agentRequest(
  baseUrl: string,
  path: string,
  options: {
    method?: string;
    body?: string;
    secret?: string;
    sign?: boolean;
    now?: Date;
    headers?: Record<string, string>;
  } = {},
): Promise<AgentAnswer> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const body = options.body ?? "";
  const signature =
    options.sign === false ? {} : signRequest(options.secret ?? "test-secret", { method, path, body }, options.now);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...signature, ...(body ? { "content-type": "application/json" } : {}), ...options.headers },
    ...(method === "GET" ? {} : { body }),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Leave non-JSON answers as text so the assertion shows them.
  }
  return { status: response.status, json };
}

/** A fresh action request body. */
export function actionBody(action: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ action, requestId: randomUUID(), ...extra });
}

/** Posts an action request with the headers given, so one signed request can be sent more than once. */
export async function postSignedAction(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<AgentAnswer> {
  const response = await fetch(`${url}${agentPaths.action}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
  return { status: response.status, json: (await response.json()) as unknown };
}
