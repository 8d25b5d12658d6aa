// Peer test: OTLP/JSON between agtel and the official OpenTelemetry JavaScript packages.
//
//   node json_peer.mjs <path to otlp_js_json_tool> (js-to-agtel | agtel-to-js)
//
// js-to-agtel: the JS SDK (sdk-trace-base, sdk-metrics, sdk-logs) makes spans, metrics and
//   log records; otlp-transformer's JsonTraceSerializer / JsonMetricsSerializer /
//   JsonLogsSerializer (what the JS OTLP/HTTP JSON exporters POST) serialize them to
//   js.<signal>.json. Beside each, js.<signal>.expected.json describes the same telemetry
//   straight from the SDK objects (not from the JSON), in a normalized form. The C++ tool
//   decodes the JSON with agtel's decode_*_json, normalizes what it got the same way, and
//   compares exactly.
// agtel-to-js: the C++ tool writes agtel's OTLP/JSON (agtel.<signal>.json) and OTLP
//   protobuf (agtel.<signal>.pb) encodings of the shared fixtures
//   (tests/support/otlp_fixtures.hpp). The JS side converts the JSON the way the OTLP/JSON
//   mapping implies for protobufjs (hex ids to bytes; protobufjs reads int64 decimal
//   strings, integer enums and "NaN"/"Infinity" itself), builds the message with the
//   generated root's fromObject, checks verify(), and compares it with the official
//   decoder's reading of agtel's protobuf for the same fixture (whose content the
//   otlp_js_protobuf_decode test checks against the SDK objects) — every field, with
//   defaults, longs as strings, bytes as hex. It also checks a few values directly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const [tool, mode] = process.argv.slice(2);
if (!tool || !['js-to-agtel', 'agtel-to-js'].includes(mode)) {
  console.error('usage: node json_peer.mjs <otlp_js_json_tool> (js-to-agtel | agtel-to-js)');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agtel-json-peer-'));
const run = (...args) => execFileSync(tool, args, { stdio: 'inherit', timeout: 30000 });

// ---- normalization shared by both sides ------------------------------------------------
const ns = (hr) => (BigInt(hr[0]) * 1000000000n + BigInt(hr[1])).toString();
const num = (d) => {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (Object.is(d, -0)) return '-0';
  return d;
};
// The JS serializer's own typing rule (otlp-transformer toAnyValue): integers are intValue.
function value(v) {
  if (typeof v === 'string') return { s: v };
  if (typeof v === 'boolean') return { b: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { i: String(v) } : { d: num(v) };
  if (Array.isArray(v)) return { a: v.map(value) };
  throw new Error(`unsupported attribute value ${v}`);
}
const attrs = (a) => Object.fromEntries(Object.entries(a ?? {}).map(([k, v]) => [k, value(v)]));

async function jsToAgtel() {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { Resource } = require('@opentelemetry/resources');
  const api = require('@opentelemetry/api');
  const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');
  const { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } = require('@opentelemetry/sdk-logs');
  const { JsonTraceSerializer, JsonMetricsSerializer, JsonLogsSerializer } = require('@opentelemetry/otlp-transformer');

  const resource = new Resource({ 'service.name': 'js-agent', 'deployment.env': 'test', 'replicas': 3 });

  // Traces: a parent with a child, attributes of every JS type, an event, a link, status.
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const tracer = tracerProvider.getTracer('js.scope', '9.8.7');
  const parent = tracer.startSpan('invoke_agent planner', {
    kind: api.SpanKind.SERVER,
    attributes: { 'gen_ai.agent.name': 'planner', 'n.int': 42, 'n.double': 0.25, 'flag': true,
                  'list.str': ['a', 'b'], 'list.int': [1, 2, 3], 'list.bool': [true, false], 'unicode': 'h\u00e9llo \u2713' },
  });
  const parentCtx = api.trace.setSpan(api.context.active(), parent);
  const child = tracer.startSpan('execute_tool search', {
    kind: api.SpanKind.CLIENT,
    links: [{ context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
              attributes: { 'link.reason': 'retry' } }],
  }, parentCtx);
  child.addEvent('exception', { 'exception.message': 'timeout' });
  child.setStatus({ code: api.SpanStatusCode.ERROR, message: 'tool timed out' });
  child.end();
  parent.setStatus({ code: api.SpanStatusCode.OK });
  parent.end();
  const spans = spanExporter.getFinishedSpans();
  fs.writeFileSync(path.join(dir, 'js.traces.json'), JsonTraceSerializer.serializeRequest(spans));
  fs.writeFileSync(path.join(dir, 'js.traces.expected.json'), JSON.stringify(spans.map((s) => ({
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanId ?? '',
    name: s.name,
    kind: s.kind + 1,
    startTimeUnixNano: ns(s.startTime),
    endTimeUnixNano: ns(s.endTime),
    attributes: attrs(s.attributes),
    events: s.events.map((e) => ({ name: e.name, timeUnixNano: ns(e.time), attributes: attrs(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: attrs(l.attributes) })),
    status: { code: s.status.code, message: s.status.message ?? '' },
    resource: attrs(s.resource.attributes),
    scope: { name: s.instrumentationLibrary.name, version: s.instrumentationLibrary.version ?? '' },
  }))));

  // Metrics: an int counter, a double histogram with explicit buckets, an up-down counter
  // and an observable gauge, collected once (cumulative).
  class CollectOnce extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new CollectOnce({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });
  const meter = meterProvider.getMeter('js.meter', '1.0.0');
  const tokens = meter.createCounter('gen_ai.client.token.usage', { description: 'tokens used', unit: '{token}', valueType: api.ValueType.INT });
  tokens.add(1200, { 'gen_ai.token.type': 'input' });
  tokens.add(300, { 'gen_ai.token.type': 'output' });
  tokens.add(5, { 'gen_ai.token.type': 'input' });
  const latency = meter.createHistogram('tool.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] } });
  for (const v of [0.005, 0.05, 0.5, 0.7, 20]) latency.record(v, { tool: 'search' });
  const inflight = meter.createUpDownCounter('tasks.inflight');
  inflight.add(3);
  inflight.add(-1);
  const util = meter.createObservableGauge('context.utilization', { unit: '1' });
  util.addCallback((r) => r.observe(0.625, { agent: 'planner' }));
  const { resourceMetrics, errors } = await reader.collect();
  assert.equal(errors.length, 0);
  fs.writeFileSync(path.join(dir, 'js.metrics.json'), JsonMetricsSerializer.serializeRequest(resourceMetrics));
  const pointValue = (m, v) => (m.descriptor.valueType === api.ValueType.INT ? { i: String(v) } : { d: num(v) });
  const dataType = ['histogram', 'exponentialHistogram', 'gauge', 'sum'];
  fs.writeFileSync(path.join(dir, 'js.metrics.expected.json'), JSON.stringify(
    resourceMetrics.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => ({
      name: m.descriptor.name,
      description: m.descriptor.description ?? '',
      unit: m.descriptor.unit ?? '',
      type: dataType[m.dataPointType],
      // JS numbers DELTA 0, CUMULATIVE 1; OTLP numbers delta 1, cumulative 2. Gauges have none.
      temporality: dataType[m.dataPointType] === 'gauge' ? 0 : m.aggregationTemporality + 1,
      monotonic: m.isMonotonic ?? false,
      points: m.dataPoints.map((p) => {
        const out = { attributes: attrs(p.attributes), startTimeUnixNano: ns(p.startTime), timeUnixNano: ns(p.endTime) };
        if (dataType[m.dataPointType] === 'histogram') {
          Object.assign(out, { count: String(p.value.count), sum: num(p.value.sum), min: num(p.value.min), max: num(p.value.max),
                               bounds: p.value.buckets.boundaries.map(num), bucketCounts: p.value.buckets.counts.map(String) });
        } else {
          out.value = pointValue(m, p.value);
        }
        return out;
      }),
      resource: attrs(resourceMetrics.resource.attributes),
      scope: { name: sm.scope.name, version: sm.scope.version ?? '' },
    })))));

  // Logs: records inside and outside a span, string and structured-free bodies.
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ resource });
  loggerProvider.addLogRecordProcessor(new SimpleLogRecordProcessor(logExporter));
  const logger = loggerProvider.getLogger('js.logger', '2.0.0');
  const spanCtx = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };
  logger.emit({ severityNumber: 17, severityText: 'ERROR', body: 'tool failed: timeout', attributes: { tool: 'search', attempt: 2 },
                context: api.trace.setSpanContext(api.ROOT_CONTEXT, spanCtx), timestamp: [1700000000, 123456789] });
  logger.emit({ severityNumber: 9, severityText: 'INFO', body: 42, context: api.ROOT_CONTEXT });
  logger.emit({ body: ['a', 'b'], attributes: { ratio: 0.5 }, context: api.ROOT_CONTEXT });
  const records = logExporter.getFinishedLogRecords();
  fs.writeFileSync(path.join(dir, 'js.logs.json'), JsonLogsSerializer.serializeRequest(records));
  fs.writeFileSync(path.join(dir, 'js.logs.expected.json'), JSON.stringify(records.map((r) => ({
    timeUnixNano: ns(r.hrTime),
    observedTimeUnixNano: ns(r.hrTimeObserved),
    severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '',
    body: r.body === undefined ? null : value(r.body),
    attributes: attrs(r.attributes),
    traceId: r.spanContext?.traceId ?? '',
    spanId: r.spanContext?.spanId ?? '',
    flags: r.spanContext?.traceFlags ?? 0,
    resource: attrs(r.resource.attributes),
    scope: { name: r.instrumentationScope.name, version: r.instrumentationScope.version ?? '' },
  }))));

  run('check', dir);
}

function agtelToJs() {
  run('write', dir);
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
  const collector = root.opentelemetry.proto.collector;
  const types = {
    traces: collector.trace.v1.ExportTraceServiceRequest,
    metrics: collector.metrics.v1.ExportMetricsServiceRequest,
    logs: collector.logs.v1.ExportLogsServiceRequest,
  };
  // OTLP/JSON ids are hex; protobufjs's fromObject reads a string bytes field as base64.
  const idKeys = new Set(['traceId', 'spanId', 'parentSpanId']);
  const hexIdsToBytes = (x) => {
    if (Array.isArray(x)) return x.map(hexIdsToBytes);
    if (x && typeof x === 'object') {
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k,
        idKeys.has(k) && typeof v === 'string' ? Buffer.from(v, 'hex') : hexIdsToBytes(v)]));
    }
    return x;
  };
  const view = { longs: String, enums: Number, bytes: String, defaults: true, arrays: true, objects: true, oneofs: true };
  const hexView = (o) => JSON.parse(JSON.stringify(o, (k, v) => (idKeys.has(k) && typeof v === 'string' ? Buffer.from(v, 'base64').toString('hex') : v)));
  for (const [signal, Type] of Object.entries(types)) {
    const text = fs.readFileSync(path.join(dir, `agtel.${signal}.json`), 'utf8');
    assert.ok(!text.includes('\n'), `${signal}: one line`);
    const plain = hexIdsToBytes(JSON.parse(text));
    const fromJson = Type.fromObject(plain);
    assert.equal(Type.verify(fromJson), null, `${signal}: verify`);
    const fromPb = Type.decode(fs.readFileSync(path.join(dir, `agtel.${signal}.pb`)));
    const a = hexView(Type.toObject(fromJson, view));
    const b = hexView(Type.toObject(fromPb, view));
    assert.deepStrictEqual(a, b, `${signal}: JSON and protobuf readings differ`);
    // And the message built from our JSON encodes and decodes to the same content.
    const again = Type.decode(Type.encode(fromJson).finish());
    assert.deepStrictEqual(hexView(Type.toObject(again, view)), a, `${signal}: re-encoding differs`);
    console.log(`agtel-to-js ${signal}: ${text.length} bytes of JSON match the protobuf reading`);
  }
  // Spot checks against values of the fixture, independent of the protobuf path.
  const traces = JSON.parse(fs.readFileSync(path.join(dir, 'agtel.traces.json'), 'utf8'));
  const firstSpan = traces.resourceSpans[0].scopeSpans[0].spans[0];
  assert.match(firstSpan.traceId, /^[0-9a-f]{32}$/);
  assert.match(firstSpan.spanId, /^[0-9a-f]{16}$/);
  assert.equal(typeof firstSpan.startTimeUnixNano, 'string');
  assert.equal(typeof firstSpan.kind, 'number');
  const resAttrs = Object.fromEntries(traces.resourceSpans[0].resource.attributes.map((kv) => [kv.key, kv.value]));
  assert.deepEqual(resAttrs['int.max'], { intValue: '9223372036854775807' });
  assert.deepEqual(resAttrs['double.inf'], { doubleValue: 'Infinity' });
  const decoded = types.traces.fromObject(hexIdsToBytes(traces));
  const resInt = decoded.resourceSpans[0].resource.attributes.find((kv) => kv.key === 'int.min').value.intValue;
  assert.equal(resInt.toString(), '-9223372036854775808');
}

try {
  if (mode === 'js-to-agtel') await jsToAgtel();
  else agtelToJs();
  console.log(`${mode}: ok`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
