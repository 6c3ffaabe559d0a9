#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so the installed bin and `npm start` are the same code.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
