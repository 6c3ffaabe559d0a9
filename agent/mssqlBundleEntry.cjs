// The entry point of dist/scanner-bot-agent-mssql.js: the SQL Server client, loaded by the one-file agent only
// when a diagnosis checks the database (see scripts/build/buildTargets.ts). CommonJS, so that the agent's
// `import("mssql")` gets mssql's own exports as its default, exactly as from node_modules.
module.exports = require("mssql");
