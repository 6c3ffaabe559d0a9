// The entry point of dist/scanner-bot-agent-mssql.js: the SQL Server client, loaded by the one-file agent
// only when a diagnosis checks the database (see scripts/build/buildTargets.ts).
export { default } from "mssql";
