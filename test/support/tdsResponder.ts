import { createServer, type Server, type Socket } from "node:net";

/**
 * A test-only SQL Server stand-in on loopback that speaks just enough TDS
 * (MS-TDS 7.4) for the agent's database check: PRELOGIN without encryption,
 * LOGIN7 answered with LOGINACK or error 18456 (or 4060 for a database the
 * login cannot open), and fixed result sets for the check's queries.
 * Packet layout: 8-byte header (type, status, big-endian length, SPID,
 * packet id, window), then the message; tokens inside are little-endian.
 */

export interface TdsResponderOptions {
  /** What LOGIN7 gets: success, or "Login failed for user" (18456). */
  login?: "ok" | "login-failed";
  /** DB_ID(@name) answer; null: the database does not exist. */
  dbId?: number | null;
  state?: string;
  collation?: string;
  /** IS_ROLEMEMBER('db_owner') answer. */
  isDbOwner?: boolean;
  /** False: logging in to the scanner database itself fails with 4060 (no access), master still works. */
  canOpenDatabase?: boolean;
  /** Accept connections but never answer: the client's timeout must fire. */
  silent?: boolean;
}

export interface TdsLogin {
  user: string;
  database: string;
  appName: string;
}

export interface TdsResponder {
  port: number;
  /** Every LOGIN7 received (user, database), for assertions. */
  logins: TdsLogin[];
  /** The text of every query received, in order. */
  queries: string[];
  close(): Promise<void>;
}

const packetType = { sqlBatch: 0x01, rpc: 0x03, reply: 0x04, login7: 0x10, prelogin: 0x12 } as const;

function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt8(0x01, 1); // end of message
  header.writeUInt16BE(payload.length + 8, 2);
  header.writeUInt16BE(52, 4); // SPID
  header.writeUInt8(1, 6);
  return Buffer.concat([header, payload]);
}

const ucs2 = (text: string) => Buffer.from(text, "utf16le");
function bVarChar(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), ucs2(text)]);
}
function usVarChar(text: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16LE(text.length);
  return Buffer.concat([length, ucs2(text)]);
}

function preloginReply(): Buffer {
  // Options: VERSION (6 bytes) and ENCRYPTION (1 byte: 0x02 = not supported), then the terminator.
  const options = Buffer.alloc(11);
  const dataStart = 11;
  options.writeUInt8(0x00, 0);
  options.writeUInt16BE(dataStart, 1);
  options.writeUInt16BE(6, 3);
  options.writeUInt8(0x01, 5);
  options.writeUInt16BE(dataStart + 6, 6);
  options.writeUInt16BE(1, 8);
  options.writeUInt8(0xff, 10);
  const version = Buffer.from([16, 0, 0x10, 0x36, 0, 0]); // 16.0.4150
  return Buffer.concat([options, version, Buffer.from([0x02])]);
}

function done(token: number, status: number, rowCount: number): Buffer {
  const body = Buffer.alloc(13);
  body.writeUInt8(token, 0);
  body.writeUInt16LE(status, 1);
  body.writeUInt16LE(0xc1, 3); // SELECT
  body.writeBigUInt64LE(BigInt(rowCount), 5);
  return body;
}
const doneFinal = (rows = 0) => done(0xfd, rows > 0 ? 0x10 : 0x00, rows);
const doneError = () => done(0xfd, 0x02, 0);

function loginAck(): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x01]), // SQL_TSQL
    Buffer.from([0x74, 0x00, 0x00, 0x04]), // TDS 7.4, big-endian
    bVarChar("Microsoft SQL Server"),
    Buffer.from([16, 0, 0x10, 0x36]),
  ]);
  const head = Buffer.alloc(3);
  head.writeUInt8(0xad, 0);
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

function errorToken(number: number, state: number, severity: number, message: string): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeInt32LE(number, 0);
  fixed.writeUInt8(state, 4);
  fixed.writeUInt8(severity, 5);
  const line = Buffer.alloc(4);
  line.writeInt32LE(1);
  const body = Buffer.concat([fixed, usVarChar(message), bVarChar("SQLTEST01"), bVarChar(""), line]);
  const head = Buffer.alloc(3);
  head.writeUInt8(0xaa, 0);
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

type Column = { name: string; type: "int" } | { name: string; type: "nvarchar" };
type Cell = number | string | null;

function columnMetadata(columns: Column[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x81]), Buffer.alloc(2)];
  parts[1]?.writeUInt16LE(columns.length);
  for (const column of columns) {
    const common = Buffer.alloc(6); // UserType (4) + Flags (2): nullable
    common.writeUInt16LE(0x0001, 4);
    parts.push(common);
    if (column.type === "int") {
      parts.push(Buffer.from([0x26, 0x04]));
    } else {
      const info = Buffer.alloc(8);
      info.writeUInt8(0xe7, 0);
      info.writeUInt16LE(256, 1);
      Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]).copy(info, 3); // Latin1_General_CI_AS
      parts.push(info);
    }
    parts.push(bVarChar(column.name));
  }
  return Buffer.concat(parts);
}

function row(columns: Column[], cells: Cell[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0xd1])];
  columns.forEach((column, i) => {
    const value = cells[i] ?? null;
    if (column.type === "int") {
      if (value === null) parts.push(Buffer.from([0x00]));
      else {
        const v = Buffer.alloc(5);
        v.writeUInt8(4, 0);
        v.writeInt32LE(Number(value), 1);
        parts.push(v);
      }
    } else if (value === null) {
      parts.push(Buffer.from([0xff, 0xff]));
    } else {
      const text = ucs2(String(value));
      const length = Buffer.alloc(2);
      length.writeUInt16LE(text.length);
      parts.push(length, text);
    }
  });
  return Buffer.concat(parts);
}

/** LOGIN7: the variable part is addressed by (offset, length in characters) pairs after 36 fixed bytes. */
function readLogin7(message: Buffer): TdsLogin {
  const field = (index: number) => {
    const at = 36 + index * 4;
    const offset = message.readUInt16LE(at);
    const chars = message.readUInt16LE(at + 2);
    return message.subarray(offset, offset + chars * 2).toString("utf16le");
  };
  return { user: field(1), appName: field(3), database: field(8) };
}

/** Starts the responder on 127.0.0.1 with an OS-chosen port. */
export async function startTdsResponder(options: TdsResponderOptions = {}): Promise<TdsResponder> {
  const logins: TdsLogin[] = [];
  const queries: string[] = [];
  const sockets = new Set<Socket>();

  function answer(type: number, message: Buffer, state: { database: string }): Buffer | null {
    if (type === packetType.prelogin) return packet(packetType.reply, preloginReply());
    if (type === packetType.login7) {
      const login = readLogin7(message);
      logins.push(login);
      state.database = login.database || "master";
      if (options.login === "login-failed") {
        const text = `Login failed for user '${login.user}'.`;
        return packet(packetType.reply, Buffer.concat([errorToken(18456, 1, 14, text), doneError()]));
      }
      if (state.database.toLowerCase() !== "master" && options.canOpenDatabase === false) {
        const text = `Cannot open database "${state.database}" requested by the login. The login failed.`;
        return packet(packetType.reply, Buffer.concat([errorToken(4060, 1, 11, text), doneError()]));
      }
      return packet(packetType.reply, Buffer.concat([loginAck(), doneFinal()]));
    }
    if (type === packetType.sqlBatch || type === packetType.rpc) {
      const text = message.toString("utf16le");
      queries.push(text);
      const rpc = type === packetType.rpc;
      const finish = (rows: number) =>
        rpc
          ? Buffer.concat([done(0xff, 0x10, rows), Buffer.from([0x79, 0, 0, 0, 0]), done(0xfe, 0, 0)])
          : doneFinal(rows);
      if (text.includes("DB_ID(@name)")) {
        const columns: Column[] = [
          { name: "dbId", type: "int" },
          { name: "state", type: "nvarchar" },
          { name: "collation", type: "nvarchar" },
        ];
        const exists = options.dbId !== null;
        const cells: Cell[] = exists
          ? [options.dbId ?? 7, options.state ?? "ONLINE", options.collation ?? "SQL_Latin1_General_CP1_CI_AS"]
          : [null, null, null];
        return packet(packetType.reply, Buffer.concat([columnMetadata(columns), row(columns, cells), finish(1)]));
      }
      if (text.includes("IS_ROLEMEMBER")) {
        const columns: Column[] = [{ name: "isOwner", type: "int" }];
        const cells: Cell[] = [options.isDbOwner ? 1 : 0];
        return packet(packetType.reply, Buffer.concat([columnMetadata(columns), row(columns, cells), finish(1)]));
      }
      // The client's session set-up batch (SET options) and anything else: no rows.
      return packet(packetType.reply, finish(0));
    }
    return null;
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (options.silent) return;
    const state = { database: "master" };
    let pending = Buffer.alloc(0);
    let message: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readUInt16BE(2);
        if (pending.length < length) break;
        const type = pending.readUInt8(0);
        const last = (pending.readUInt8(1) & 0x01) === 0x01;
        message.push(pending.subarray(8, length));
        pending = pending.subarray(length);
        if (!last) continue;
        const reply = answer(type, Buffer.concat(message), state);
        message = [];
        if (reply) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    logins,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
