// Peer test: the official OpenTelemetry JavaScript OTLP/HTTP and OTLP/gRPC exporters send to a running
// `agtel serve`, and the CLI reads back what they sent.
//
//   node serve_peer.mjs <path to the agtel binary>
//
// Starts `agtel serve --http 127.0.0.1:0` on a fresh store with a bearer token, then for
// http/protobuf (exporter-*-otlp-proto), http/json (exporter-*-otlp-http) and grpc
// (exporter-*-otlp-grpc, to the gRPC port it prints, token in metadata): makes a
// parent and a child span and three log records with the JS SDK, exports them with the
// exporter (the export must succeed: the server answers only after COMMIT), checks that a
// wrong token fails the export, and exports a counter and a histogram. Then SIGTERM
// (the server must exit 0), and `agtel trace <id> --json` / `agtel logs --json` must give
// back every span and record with its ids, names, kinds, times, attributes, events, status,
// resource and scope, and `agtel query --json` the counter's value and the histogram's
// count and sum per service.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const agtel = process.argv[2];
if (!agtel) {
  console.error('usage: node serve_peer.mjs <agtel binary>');
  process.exit(2);
}
const api = require('@opentelemetry/api');
const { ExportResultCode } = require('@opentelemetry/core');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { Resource } = require('@opentelemetry/resources');
const { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } = require('@opentelemetry/sdk-logs');
const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');
const exporters = {
  'http/protobuf': {
    traces: require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter,
  },
  'http/json': {
    traces: require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-http').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter,
  },
  grpc: {
    traces: require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter,
    logs: require('@opentelemetry/exporter-logs-otlp-grpc').OTLPLogExporter,
    metrics: require('@opentelemetry/exporter-metrics-otlp-grpc').OTLPMetricExporter,
  },
};
const { Metadata } = require('@grpc/grpc-js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agtel-serve-peer-'));
const db = path.join(dir, 'agtel.db');
const token = 'peer-token-0123456789';
fs.writeFileSync(path.join(dir, 'token'), token + '\n');

// ---- the server -------------------------------------------------------------------------
const server = spawn(agtel, ['serve', '--http', '127.0.0.1:0', '--db', db,
                             '--auth-token-file', path.join(dir, 'token')],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
const [port, grpcPort] = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`agtel serve printed no address: ${out}`)), 15000);
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
    const g = out.match(/OTLP\/gRPC on 127\.0\.0\.1:(\d+)/);
    if (m && g) {
      clearTimeout(timer);
      resolve([Number(m[1]), Number(g[1])]);
    }
  });
  server.on('exit', () => reject(new Error(`agtel serve exited: ${out}`)));
});
// The exporter's options: the HTTP ones take a URL per signal and headers, the gRPC ones
// the server's address and metadata.
const options = (protocol, signal, authorization) => {
  if (protocol !== 'grpc')
    return { url: `http://127.0.0.1:${port}/v1/${signal}`, headers: { Authorization: authorization } };
  const metadata = new Metadata();
  metadata.set('authorization', authorization);
  return { url: `http://127.0.0.1:${grpcPort}`, metadata };
};
const auth = `Bearer ${token}`;
const exportWith = (exporter, items) => new Promise((resolve) => exporter.export(items, resolve));

// ---- what each protocol sends -----------------------------------------------------------
const ns = (hr) => (BigInt(hr[0]) * 1000000000n + BigInt(hr[1])).toString();
const sent = {};
try {
  for (const [protocol, make] of Object.entries(exporters)) {
    const resource = new Resource({ 'service.name': `js-${protocol}`, 'replicas': 3 });
    const spanExporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
    const tracer = tracerProvider.getTracer('js.scope', '9.8.7');
    const parent = tracer.startSpan(`invoke_agent ${protocol}`, {
      kind: api.SpanKind.SERVER,
      attributes: { 'gen_ai.agent.name': 'planner', 'n.int': 42, 'n.double': 0.25, 'flag': true,
                    'list.str': ['a', 'b'], 'list.int': [1, 2, 3], 'unicode': 'h\u00e9llo \u2713' },
    });
    const child = tracer.startSpan('execute_tool search', { kind: api.SpanKind.CLIENT },
                                   api.trace.setSpan(api.context.active(), parent));
    child.addEvent('exception', { 'exception.message': 'timeout' });
    child.setStatus({ code: api.SpanStatusCode.ERROR, message: 'tool timed out' });
    child.end();
    parent.end();
    const spans = spanExporter.getFinishedSpans();

    const logExporter = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({ resource });
    loggerProvider.addLogRecordProcessor(new SimpleLogRecordProcessor(logExporter));
    const logger = loggerProvider.getLogger('js.logger', '2.0.0');
    logger.emit({ severityNumber: 17, severityText: 'ERROR', body: `tool failed ${protocol}`,
                  attributes: { tool: 'search', attempt: 2 },
                  context: api.trace.setSpan(api.ROOT_CONTEXT, child) });
    logger.emit({ severityNumber: 9, severityText: 'INFO', body: `step done ${protocol}`, context: api.ROOT_CONTEXT });
    const records = logExporter.getFinishedLogRecords();

    // A wrong token: the export fails and nothing is stored (checked by the counts below).
    const denied = await exportWith(new make.traces(options(protocol, 'traces', 'Bearer nope')), spans);
    assert.equal(denied.code, ExportResultCode.FAILED, `${protocol}: a wrong token must fail`);

    const traces = await exportWith(new make.traces(options(protocol, 'traces', auth)), spans);
    assert.equal(traces.code, ExportResultCode.SUCCESS, `${protocol} traces: ${traces.error}`);
    const logs = await exportWith(new make.logs(options(protocol, 'logs', auth)), records);
    assert.equal(logs.code, ExportResultCode.SUCCESS, `${protocol} logs: ${logs.error}`);

    // Metrics: a counter and a histogram, stored (checked with agtel query below).
    class CollectOnce extends MetricReader {
      async onForceFlush() {}
      async onShutdown() {}
    }
    const reader = new CollectOnce({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    const meter = meterProvider.getMeter('js.meter');
    meter.createCounter('requests').add(3, { route: '/a' });
    const latency = meter.createHistogram('latency', { unit: 's' });
    for (const v of [0.1, 0.2, 4]) latency.record(v, { route: '/a' });
    const { resourceMetrics } = await reader.collect();
    const metrics = await exportWith(new make.metrics(options(protocol, 'metrics', auth)), resourceMetrics);
    assert.equal(metrics.code, ExportResultCode.SUCCESS, `${protocol} metrics: ${metrics.error}`);

    sent[protocol] = { spans, records };
  }
} finally {
  server.kill('SIGTERM');
}
const { code, signal } = await exited;
assert.equal(signal, null, 'agtel serve was killed by a signal instead of exiting');
assert.equal(code, 0, 'agtel serve must exit 0 after SIGTERM');

// ---- read back with the CLI -------------------------------------------------------------
const cli = (...args) => JSON.parse(execFileSync(agtel, [...args, '--db', db, '--json'], { timeout: 30000 }).toString());
const fromAny = (v) => {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(fromAny);
  throw new Error(`unexpected AnyValue ${JSON.stringify(v)}`);
};
const attrs = (list) => Object.fromEntries((list ?? []).map((a) => [a.key, fromAny(a.value)]));

let spansChecked = 0;
for (const [protocol, { spans, records }] of Object.entries(sent)) {
  const traceId = spans[0].spanContext().traceId;
  const stored = cli('trace', traceId);
  const got = new Map();
  for (const rs of stored.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) got.set(s.spanId, { s, resource: attrs(rs.resource.attributes), scope: ss.scope });
  assert.equal(got.size, spans.length, `${protocol}: spans of trace ${traceId}`);
  for (const s of spans) {
    const g = got.get(s.spanContext().spanId);
    assert.ok(g, `${protocol}: span ${s.name} missing`);
    assert.equal(g.s.traceId, traceId);
    assert.equal(g.s.name, s.name);
    assert.equal(g.s.parentSpanId ?? '', s.parentSpanId ?? '', `${s.name} parent`);
    assert.equal(g.s.kind, s.kind + 1, `${s.name} kind`);
    assert.equal(g.s.startTimeUnixNano, ns(s.startTime), `${s.name} start`);
    assert.equal(g.s.endTimeUnixNano, ns(s.endTime), `${s.name} end`);
    assert.deepEqual(attrs(g.s.attributes), s.attributes, `${s.name} attributes`);
    assert.deepEqual((g.s.events ?? []).map((e) => ({ name: e.name, time: e.timeUnixNano, attributes: attrs(e.attributes) })),
                     s.events.map((e) => ({ name: e.name, time: ns(e.time), attributes: e.attributes })), `${s.name} events`);
    assert.equal(g.s.status?.code ?? 0, s.status.code, `${s.name} status`);
    assert.equal(g.s.status?.message ?? '', s.status.message ?? '', `${s.name} status message`);
    assert.deepEqual(g.resource, s.resource.attributes, `${s.name} resource`);
    assert.equal(g.scope.name, 'js.scope');
    assert.equal(g.scope.version, '9.8.7');
    ++spansChecked;
  }

  const storedLogs = cli('logs', '--service', `js-${protocol}`);
  const gotLogs = [];
  for (const rl of storedLogs.resourceLogs)
    for (const sl of rl.scopeLogs)
      for (const r of sl.logRecords) gotLogs.push({ r, scope: sl.scope });
  assert.equal(gotLogs.length, records.length, `${protocol}: log records`);
  for (const r of records) {
    const g = gotLogs.find((x) => x.r.body?.stringValue === r.body);
    assert.ok(g, `${protocol}: log '${r.body}' missing`);
    assert.equal(g.r.severityNumber, r.severityNumber);
    assert.equal(g.r.severityText, r.severityText);
    assert.equal(g.r.timeUnixNano, ns(r.hrTime));
    assert.deepEqual(attrs(g.r.attributes), r.attributes);
    assert.equal(g.r.traceId ?? '', r.spanContext?.traceId ?? '');
    assert.equal(g.r.spanId ?? '', r.spanContext?.spanId ?? '');
    assert.equal(g.scope.name, 'js.logger');
  }
}
assert.equal(spansChecked, 6);

// Metrics, per service (= protocol): the counter's last value and the histogram's count and sum.
const range = ['--since', '7d', '--until', '2100-01-01T00:00:00Z', '--by', 'service.name'];
const perService = (out) => Object.fromEntries(out.series.map((x) => [x.labels['service.name'], x.points.map((p) => p.value)]));
const requests = perService(cli('query', 'requests', '--agg', 'last', ...range));
const counts = perService(cli('query', 'latency', '--agg', 'count', ...range));
const sums = perService(cli('query', 'latency', '--agg', 'sum', ...range));
for (const protocol of Object.keys(sent)) {
  const service = `js-${protocol}`;
  assert.deepEqual(requests[service], [3], `${protocol}: requests counter`);
  assert.deepEqual(counts[service], [3], `${protocol}: latency count`);
  assert.ok(Math.abs(sums[service][0] - 4.3) < 1e-9, `${protocol}: latency sum ${sums[service]}`);
}
fs.rmSync(dir, { recursive: true, force: true });
console.log('serve_peer: http/protobuf, http/json and grpc spans, log records and metrics stored and read back equal');
