import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AuditEntry, AuditSink } from "../access/audit.js";

/** The bot's Prometheus metrics, on a registry of its own so tests can create several. */
export interface BotMetrics {
  readonly registry: Registry;
  readonly commands: Counter<"command" | "outcome">;
  readonly commandSeconds: Histogram<"command">;
  readonly agentCalls: Counter<"probe" | "outcome">;
  readonly agentCallSeconds: Histogram<"probe">;
  readonly openIncidents: Gauge;
  readonly queueDepth: Gauge<"queue">;
  readonly notifications: Counter<"platform" | "outcome">;
}

/** Creates the metric set; `withProcessMetrics` adds Node's default CPU/memory/event-loop metrics. */
export function createBotMetrics(options: { withProcessMetrics?: boolean } = {}): BotMetrics {
  const registry = new Registry();
  if (options.withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: "scanner_bot_" });
  return {
    registry,
    commands: new Counter({
      name: "scanner_bot_commands_total",
      help: "Commands handled, by command and outcome (ok, failed, denied, rejected).",
      labelNames: ["command", "outcome"],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: "scanner_bot_command_duration_seconds",
      help: "Time from command received to full answer.",
      labelNames: ["command"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    agentCalls: new Counter({
      name: "scanner_bot_agent_calls_total",
      help: "Calls to node agents, by probe and outcome (ok, timeout, refused, invalid, unauthorized, error).",
      labelNames: ["probe", "outcome"],
      registers: [registry],
    }),
    agentCallSeconds: new Histogram({
      name: "scanner_bot_agent_call_duration_seconds",
      help: "Latency of calls to node agents.",
      labelNames: ["probe"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    openIncidents: new Gauge({
      name: "scanner_bot_open_incidents",
      help: "Incidents currently open.",
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "scanner_bot_queue_depth",
      help: "Work waiting in the bot's queues (agent calls, notifications).",
      labelNames: ["queue"],
      registers: [registry],
    }),
    notifications: new Counter({
      name: "scanner_bot_notifications_total",
      help: "Proactive messages sent, by platform and outcome.",
      labelNames: ["platform", "outcome"],
      registers: [registry],
    }),
  };
}

/** An audit sink that also counts commands and their durations, then hands the entry on. */
export function meteredAuditSink(metrics: BotMetrics, next?: AuditSink): AuditSink {
  return {
    async record(entry: AuditEntry): Promise<void> {
      // Unknown command words are user input: keep them out of label values.
      const command = entry.outcome === "rejected" && entry.detail === "unknown command" ? "(unknown)" : entry.command;
      metrics.commands.inc({ command, outcome: entry.outcome });
      metrics.commandSeconds.observe({ command }, entry.durationMs / 1000);
      await next?.record(entry);
    },
  };
}
