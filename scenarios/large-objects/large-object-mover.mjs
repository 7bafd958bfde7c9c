// The mover of the head-of-line windows, in a worker thread of its own: it SETs and GETs one value
// back to back on a raw socket, so reading a 10 MB reply never stalls the event loop of the thread
// that times the other client's GETs. It also times the large object's serialise + parse, so the
// garbage of a 10 MB JSON.parse is collected in this thread's heap, never in the probe's.
// Plain JavaScript: Node loads it with no loader (see bench/load/load-worker.mjs). Protocol with the
// parent (head-of-line.ts): workerData holds the target and the values; messages {type: 'start',
// value}, {type: 'stop'}, {type: 'codec', repetitions}, {type: 'close'}; it answers {type: 'ready'},
// {type: 'stopped', commands}, {type: 'codec', ms}, {type: 'error', message}.
import { Buffer } from 'node:buffer';
import net from 'node:net';
import process from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';

const { host, port, password, username, ttlSeconds, values } = workerData;
const commands = {};
for (const [name, { key, bytes }] of Object.entries(values)) {
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ttl = String(ttlSeconds);
  const head = `*5\r\n$3\r\nSET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${value.length}\r\n`;
  const tail = `\r\n$2\r\nEX\r\n$${ttl.length}\r\n${ttl}\r\n`;
  commands[name] = {
    set: Buffer.concat([Buffer.from(head, 'latin1'), value, Buffer.from(tail, 'latin1')]),
    get: `*2\r\n$3\r\nGET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n`,
  };
}

const socket = net.connect({ host, port });
socket.setNoDelay(true);
let settle = null;
let header = Buffer.alloc(0);
let bulkRemaining = -1;

function reply(error) {
  const current = settle;
  settle = null;
  current?.(error);
}

// Replies are read without keeping them: a bulk string's bytes are only counted down.
socket.on('data', (chunk) => {
  let offset = 0;
  while (offset < chunk.length) {
    if (bulkRemaining >= 0) {
      const take = Math.min(bulkRemaining, chunk.length - offset);
      bulkRemaining -= take;
      offset += take;
      if (bulkRemaining === 0) {
        bulkRemaining = -1;
        reply(null);
      }
      continue;
    }
    const newline = chunk.indexOf(10, offset);
    if (newline < 0) {
      header = Buffer.concat([header, chunk.subarray(offset)]);
      break;
    }
    const line = Buffer.concat([header, chunk.subarray(offset, newline + 1)]).toString('latin1');
    header = Buffer.alloc(0);
    offset = newline + 1;
    if (line[0] === '-') reply(new Error(line.trim()));
    else if (line[0] === '$' && Number.parseInt(line.slice(1), 10) >= 0)
      bulkRemaining = Number.parseInt(line.slice(1), 10) + 2;
    else reply(null);
  }
});

function send(command) {
  return new Promise((resolve, reject) => {
    settle = (error) => (error === null ? resolve() : reject(error));
    socket.write(command);
  });
}

// The large value is the DataFrame's JSON: the frame object is its parse, made once on first use.
let frame = null;

function codecTimes(repetitions) {
  frame ??= JSON.parse(Buffer.from(values.large.bytes).toString('utf8'));
  const ms = [];
  for (let i = 0; i < repetitions; i++) {
    const start = process.hrtime.bigint();
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    JSON.parse(json.toString('utf8'));
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return ms;
}

let running = false;
let loop = Promise.resolve(0);

async function move(name) {
  const { set, get } = commands[name];
  let done = 0;
  while (running) {
    await send(set);
    await send(get);
    done += 2;
  }
  return done;
}

function fail(error) {
  parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

socket.on('error', fail);
socket.on('connect', () => {
  const auth =
    password === undefined
      ? Promise.resolve()
      : send(
          `*${username === undefined ? 2 : 3}\r\n$4\r\nAUTH\r\n${[username, password]
            .filter((a) => a !== undefined)
            .map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)
            .join('')}`,
        );
  auth.then(() => parentPort.postMessage({ type: 'ready' }), fail);
});

parentPort.on('message', (message) => {
  if (message.type === 'start') {
    running = true;
    loop = move(message.value);
    loop.catch(fail);
  } else if (message.type === 'stop') {
    running = false;
    loop.then((commandsDone) => parentPort.postMessage({ type: 'stopped', commands: commandsDone }), fail);
  } else if (message.type === 'codec') {
    try {
      parentPort.postMessage({ type: 'codec', ms: codecTimes(message.repetitions) });
    } catch (error) {
      fail(error);
    }
  } else if (message.type === 'close') {
    running = false;
    socket.destroy();
    parentPort.close();
  }
});
