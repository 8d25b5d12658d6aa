// An OTLP/gRPC receiver built from third-party parts only: @grpc/grpc-js serving the three
// Export services, decoding requests with @grpc/proto-loader from the .proto files that
// @opentelemetry/otlp-grpc-exporter-base@0.38.0 ships. It is the judge of what agtel's
// gRPC exporter puts on the wire (tests/peers/otlp-js/grpc_export_peer.cpp).
//
//   node grpc_sink.mjs <dir>
//
// Listens on 127.0.0.1 on a free port and writes the port to <dir>/port (atomically, once
// listening). Every call, answered or refused, is appended to <dir>/requests.jsonl before
// the answer goes out, as one JSON object:
//   {"signal": "traces"|"metrics"|"logs", "answer": "OK"|..., "metadata": {key: value},
//    "request": <the decoded Export*ServiceRequest>}
// The request is proto-loader's object (lowerCamelCase fields, 64-bit integers as decimal
// strings, enums as numbers, the set oneof's name in `value`/`data`), bytes as lower-case hex.
//
// How to answer is chosen per call by the `x-sink-answer` metadata:
//   (absent)          OK, empty response
//   unavailable-once  UNAVAILABLE with a google.rpc.RetryInfo of 200 ms the first time a
//                     given `x-sink-key` is seen for the signal, then OK
//   partial           OK with a partial success: 1 item rejected, "sink rejected one item"
//   invalid           INVALID_ARGUMENT (not retryable)
// Partial-success responses are encoded with @opentelemetry/otlp-transformer's generated
// protobufjs root (the 0.38 .proto files predate partial_success).
// Stops on SIGTERM/SIGINT, and by itself after 10 minutes (a test that forgot it).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const otlpRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root');

const here = path.dirname(fileURLToPath(import.meta.url));
const protoDir = path.join(here, 'node_modules/otlp-grpc-exporter-base-0.38/build/protos');
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node grpc_sink.mjs <dir>');
  process.exit(2);
}
const requestsFile = path.join(outDir, 'requests.jsonl');

const definitions = protoLoader.loadSync(
  [
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  ],
  { includeDirs: [protoDir], keepCase: false, longs: String, enums: Number, defaults: false, oneofs: true },
);

const services = {
  traces: {
    name: 'opentelemetry.proto.collector.trace.v1.TraceService',
    response: otlpRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse,
    partial: { rejectedSpans: 1, errorMessage: 'sink rejected one item' },
  },
  metrics: {
    name: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
    response: otlpRoot.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse,
    partial: { rejectedDataPoints: 1, errorMessage: 'sink rejected one item' },
  },
  logs: {
    name: 'opentelemetry.proto.collector.logs.v1.LogsService',
    response: otlpRoot.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse,
    partial: { rejectedLogRecords: 1, errorMessage: 'sink rejected one item' },
  },
};

// google.rpc.Status { code = 1; message = 2; details = 3 (Any { type_url = 1; value = 2 }) }
// with one google.rpc.RetryInfo { retry_delay = 1 (Duration { seconds = 1; nanos = 2 }) }.
// Hand-encoded: neither package here ships google.rpc types.
function varint(n) {
  const out = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
function lengthDelimited(field, bytes) {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}
function retryInfoStatus(code, message, nanos) {
  const duration = Buffer.concat([varint((2 << 3) | 0), varint(nanos)]);
  const retryInfo = lengthDelimited(1, duration);
  const anyMsg = Buffer.concat([
    lengthDelimited(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')),
    lengthDelimited(2, retryInfo),
  ]);
  return Buffer.concat([
    varint((1 << 3) | 0), varint(code),
    lengthDelimited(2, Buffer.from(message)),
    lengthDelimited(3, anyMsg),
  ]);
}

function toJson(record) {
  return JSON.stringify(record, function (key, value) {
    const original = this[key];
    if (Buffer.isBuffer(original) || original instanceof Uint8Array) {
      return Buffer.from(original).toString('hex');
    }
    return value;
  });
}

const seen = new Set();

function handler(signal) {
  return (call, callback) => {
    const metadata = {};
    for (const [k, v] of Object.entries(call.metadata.getMap())) {
      metadata[k] = Buffer.isBuffer(v) ? v.toString('hex') : v;
    }
    const mode = metadata['x-sink-answer'] ?? '';
    let answer = 'OK';
    if (mode === 'invalid') answer = 'INVALID_ARGUMENT';
    if (mode === 'unavailable-once') {
      const key = `${signal}/${metadata['x-sink-key'] ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        answer = 'UNAVAILABLE';
      }
    }
    fs.appendFileSync(requestsFile, toJson({ signal, answer, metadata, request: call.request }) + '\n');

    const service = services[signal];
    if (answer === 'UNAVAILABLE') {
      const trailer = new grpc.Metadata();
      trailer.set('grpc-status-details-bin', retryInfoStatus(grpc.status.UNAVAILABLE, 'sink busy', 200_000_000));
      callback({ code: grpc.status.UNAVAILABLE, details: 'sink busy', metadata: trailer });
    } else if (answer === 'INVALID_ARGUMENT') {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: 'sink refuses this request' });
    } else if (mode === 'partial') {
      callback(null, Buffer.from(service.response.encode({ partialSuccess: service.partial }).finish()));
    } else {
      callback(null, Buffer.alloc(0));
    }
  };
}

const server = new grpc.Server();
for (const [signal, service] of Object.entries(services)) {
  // The loaded definition decodes requests; responses are already encoded bytes (the
  // transformer's encoder above), so they pass through as they are.
  const definition = definitions[service.name];
  const exportMethod = { ...definition.Export, responseSerialize: (bytes) => bytes };
  server.addService({ Export: exportMethod }, { Export: handler(signal) });
}

server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(`grpc_sink: cannot listen: ${error.message}`);
    process.exit(1);
  }
  const tmp = path.join(outDir, 'port.tmp');
  fs.writeFileSync(tmp, String(port));
  fs.renameSync(tmp, path.join(outDir, 'port'));
  console.log(`grpc_sink: listening on 127.0.0.1:${port}`);
});

function stop() {
  server.tryShutdown(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, 10 * 60 * 1000).unref();
