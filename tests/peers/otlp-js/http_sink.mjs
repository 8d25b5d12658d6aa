// An OTLP/HTTP receiver built from Node's own http server and the official OpenTelemetry
// JavaScript decoder: the judge of what agtel's HTTP exporters put on the wire
// (tests/peers/otlp-js/http_export_peer.cpp).
//
//   node http_sink.mjs <dir>
//
// Listens on 127.0.0.1 on a free port and writes the port to <dir>/port (atomically, once
// listening). Each POST to /v1/traces, /v1/metrics or /v1/logs is inflated when its
// Content-Encoding is gzip, then read by its Content-Type:
//   application/x-protobuf  decoded with @opentelemetry/otlp-transformer@0.57.2's generated
//                           protobufjs root (Export*ServiceRequest.decode, then toObject with
//                           64-bit integers as decimal strings, enums as numbers, bytes as hex)
//   application/json        parsed with JSON.parse (it must be strict JSON)
// and appended to <dir>/requests.jsonl as one JSON object:
//   {"signal", "method", "path", "headers": {lower-case name: value}, "wireBytes",
//    "bodyBytes", "request": <the decoded request>}  or  {..., "error": "<why not>"}
// before the answer goes out: 200 with an empty Export*ServiceResponse (protobuf) or {}
// (JSON); 400 with the error when the body cannot be read; 404 for other paths.
// Stops on SIGTERM/SIGINT, and by itself after 10 minutes (a test that forgot it).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');
const collector = root.opentelemetry.proto.collector;

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node http_sink.mjs <dir>');
  process.exit(2);
}
const requestsFile = path.join(outDir, 'requests.jsonl');

const requestTypes = {
  '/v1/traces': ['traces', collector.trace.v1.ExportTraceServiceRequest],
  '/v1/metrics': ['metrics', collector.metrics.v1.ExportMetricsServiceRequest],
  '/v1/logs': ['logs', collector.logs.v1.ExportLogsServiceRequest],
};

// JSON with bytes fields (ids) as lower-case hex, as OTLP/JSON writes them.
function toJson(record) {
  return JSON.stringify(record, function (key, value) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof Uint8Array) {
      return Buffer.from(original).toString('hex');
    }
    return value;
  });
}

function decode(type, contentType, body) {
  if (contentType === 'application/x-protobuf') {
    const message = type.decode(body);
    return type.toObject(message, { longs: String, enums: Number, defaults: false, oneofs: true });
  }
  if (contentType === 'application/json') return JSON.parse(body.toString('utf8'));
  throw new Error(`unexpected Content-Type ${contentType}`);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const wire = Buffer.concat(chunks);
    const entry = { method: req.method, path: req.url, headers: req.headers, wireBytes: wire.length };
    const known = requestTypes[req.url];
    if (!known || req.method !== 'POST') {
      fs.appendFileSync(requestsFile, toJson({ ...entry, error: 'not an OTLP/HTTP export' }) + '\n');
      res.writeHead(404).end();
      return;
    }
    const [signal, type] = known;
    entry.signal = signal;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
    try {
      const body = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(wire) : wire;
      entry.bodyBytes = body.length;
      entry.request = decode(type, contentType, body);
    } catch (e) {
      entry.error = String(e.message ?? e);
    }
    fs.appendFileSync(requestsFile, toJson(entry) + '\n');
    if (entry.error) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(entry.error);
    } else if (contentType === 'application/json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const tmp = path.join(outDir, 'port.tmp');
  fs.writeFileSync(tmp, String(port));
  fs.renameSync(tmp, path.join(outDir, 'port'));
  console.log(`http_sink: listening on 127.0.0.1:${port}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, 10 * 60 * 1000).unref();
