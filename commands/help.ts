import { z } from "zod";
import { BotError } from "../src/foundation/botError.js";
import { reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";

/** `help` lists the commands; `help <command>` shows one in full. */
export const helpCommand = defineCommand({
  name: "help",
  aliases: ["?", "commands"],
  summary: "List the commands, or show one command's help.",
  access: "anyone",
  usage: "help [command]",
  help: "Without an argument, lists every command with a one-line summary. With a command name, shows its syntax, what it does and examples.",
  examples: ["help", "help errors"],
  args: z.object({ topic: z.string().max(40).optional() }),
  input: (line) => ({ topic: line.positionals[0]?.toLowerCase() }),
  run: ({ topic }, { services }) => {
    const commands = services.commands;
    if (topic) {
      const command = commands.find((c) => c.name === topic || c.aliases?.includes(topic));
      if (!command) {
        throw new BotError(
          "not_found",
          `There is no command \`${topic}\`. Commands: ${commands.map((c) => c.name).join(", ")}.`,
        );
      }
      const builder = reply(`${command.name}: ${command.summary}`, { visibility: "private" })
        .heading(command.name)
        .code(command.usage)
        .text(command.help);
      if (command.aliases?.length) builder.text(`Also: ${command.aliases.join(", ")}`);
      if (command.examples?.length) builder.list(command.examples.map((e) => `/scanner ${e}`));
      return builder.build();
    }
    return reply("scanner-bot commands", { visibility: "private" })
      .heading("scanner-bot commands")
      .table(
        ["Command", "What it does"],
        commands.map((c) => ({ cells: [c.usage, c.summary] })),
      )
      .text("Type `help <command>` for details. You can also paste any scanner error and I'll explain it.")
      .build();
  },
});
