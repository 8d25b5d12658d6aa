// Peer test: the official OpenTelemetry JavaScript decoder reads agtel's OTLP/protobuf.
//
//   node decode_check.mjs <path to otlp_js_write_fixtures>
//
// The C++ program writes an export request per signal (traces.pb, metrics.pb, logs.pb),
// encoded by agtel, and beside each what it must contain, described from the SDK objects
// (*.expected.json). This script decodes every request with the generated protobufjs
// module that @opentelemetry/otlp-transformer@0.57.2 ships (the decoder of the JS SDK's
// own tests), flattens it to the same normalized form (items carrying their resource and
// scope, 64-bit integers as decimal strings, ids as hex) and compares exactly. Any
// difference fails the test with its path, the expected and the decoded value.
//
// That module predates three OTLP fields (Span.flags = 16, Span.Link.flags = 6,
// LogRecord.event_name = 12) and skips them as unknown; those are read from the same bytes
// with protobufjs's wire Reader, walking the request in the same order.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const { Reader } = require('protobufjs/minimal');
const collector = root.opentelemetry.proto.collector;

// ---- normalization ----------------------------------------------------------------------

const str = (v) => v ?? '';
const int = (v) => v ?? 0;
const u64 = (v) => (v == null ? '0' : v.toString());
const hex = (b) => (b && b.length ? Buffer.from(b).toString('hex') : '');
const num = (d) => {
  d = d ?? 0;
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (Object.is(d, -0)) return '-0';
  return d;
};
const optNum = (d) => (d == null ? null : num(d));

function value(v) {
  switch (v?.value) {
    case 'stringValue': return { s: v.stringValue };
    case 'boolValue': return { b: v.boolValue };
    case 'intValue': return { i: u64(v.intValue) };
    case 'doubleValue': return { d: num(v.doubleValue) };
    case 'arrayValue': return { a: (v.arrayValue.values ?? []).map(value) };
    default: return { unexpected: v?.value ?? 'empty AnyValue' };
  }
}
const attributes = (list) => Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
const resource = (r, schemaUrl) => ({
  attributes: attributes(r?.attributes),
  droppedAttributesCount: int(r?.droppedAttributesCount),
  schemaUrl: str(schemaUrl),
});
const scope = (s, schemaUrl) => ({
  name: str(s?.name),
  version: str(s?.version),
  attributes: attributes(s?.attributes),
  droppedAttributesCount: int(s?.droppedAttributesCount),
  schemaUrl: str(schemaUrl),
});

// The fields the generated module does not know, read from the wire in request order.
function fields(buf) {
  const r = Reader.create(buf);
  const out = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (wt === 2) out.push({ no, v: r.bytes() });
    else if (wt === 5) out.push({ no, v: r.fixed32() });
    else { r.skipType(wt); out.push({ no }); }
  }
  return out;
}
const sub = (buf, no) => fields(buf).filter((f) => f.no === no).map((f) => f.v);
// Items (spans, log records) of a request in order: rs(1) > scope(2) > item(2).
const rawItems = (buf) => sub(buf, 1).flatMap((rs) => sub(rs, 2).flatMap((ss) => sub(ss, 2)));

function traces(buf) {
  const req = collector.trace.v1.ExportTraceServiceRequest.decode(buf);
  const raw = rawItems(buf);
  const items = [];
  for (const rs of req.resourceSpans ?? [])
    for (const ss of rs.scopeSpans ?? [])
      for (const sp of ss.spans ?? []) {
        const wire = raw[items.length];
        const linkFlags = sub(wire, 13).map((l) => sub(l, 6)[0] ?? 0);
        items.push({
          traceId: hex(sp.traceId),
          spanId: hex(sp.spanId),
          parentSpanId: hex(sp.parentSpanId),
          traceState: str(sp.traceState),
          flags: sub(wire, 16)[0] ?? 0,
          name: str(sp.name),
          kind: int(sp.kind),
          startTimeUnixNano: u64(sp.startTimeUnixNano),
          endTimeUnixNano: u64(sp.endTimeUnixNano),
          attributes: attributes(sp.attributes),
          droppedAttributesCount: int(sp.droppedAttributesCount),
          events: (sp.events ?? []).map((e) => ({
            timeUnixNano: u64(e.timeUnixNano),
            name: str(e.name),
            attributes: attributes(e.attributes),
            droppedAttributesCount: int(e.droppedAttributesCount),
          })),
          droppedEventsCount: int(sp.droppedEventsCount),
          links: (sp.links ?? []).map((l, i) => ({
            traceId: hex(l.traceId),
            spanId: hex(l.spanId),
            traceState: str(l.traceState),
            attributes: attributes(l.attributes),
            droppedAttributesCount: int(l.droppedAttributesCount),
            flags: linkFlags[i],
          })),
          droppedLinksCount: int(sp.droppedLinksCount),
          status: { code: int(sp.status?.code), message: str(sp.status?.message) },
          resource: resource(rs.resource, rs.schemaUrl),
          scope: scope(ss.scope, ss.schemaUrl),
        });
      }
  return { resourceGroups: (req.resourceSpans ?? []).length, items };
}

function exemplars(list) {
  return (list ?? []).map((e) => ({
    filteredAttributes: attributes(e.filteredAttributes),
    timeUnixNano: u64(e.timeUnixNano),
    value: e.value === 'asInt' ? { asInt: u64(e.asInt) } : { asDouble: num(e.asDouble) },
    traceId: hex(e.traceId),
    spanId: hex(e.spanId),
  }));
}
const pointBase = (p) => ({
  attributes: attributes(p.attributes),
  startTimeUnixNano: u64(p.startTimeUnixNano),
  timeUnixNano: u64(p.timeUnixNano),
  flags: int(p.flags),
});
const buckets = (b) => ({ offset: int(b?.offset), bucketCounts: (b?.bucketCounts ?? []).map(u64) });

function metrics(buf) {
  const req = collector.metrics.v1.ExportMetricsServiceRequest.decode(buf);
  const items = [];
  for (const rm of req.resourceMetrics ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const m of sm.metrics ?? []) {
        const item = {
          name: str(m.name), description: str(m.description), unit: str(m.unit),
          resource: resource(rm.resource, rm.schemaUrl), scope: scope(sm.scope, sm.schemaUrl),
          type: m.data ?? 'none',
        };
        const d = m[m.data] ?? {};
        if (m.data !== 'gauge' && m.data !== 'summary') item.aggregationTemporality = int(d.aggregationTemporality);
        if (m.data === 'sum') item.isMonotonic = d.isMonotonic ?? false;
        item.dataPoints = (d.dataPoints ?? []).map((p) => {
          const q = pointBase(p);
          switch (m.data) {
            case 'gauge':
            case 'sum':
              q.value = p.value === 'asInt' ? { asInt: u64(p.asInt) } : { asDouble: num(p.asDouble) };
              q.exemplars = exemplars(p.exemplars);
              break;
            case 'histogram':
              Object.assign(q, {
                count: u64(p.count), sum: optNum(p.sum), min: optNum(p.min), max: optNum(p.max),
                explicitBounds: (p.explicitBounds ?? []).map(num),
                bucketCounts: (p.bucketCounts ?? []).map(u64),
                exemplars: exemplars(p.exemplars),
              });
              break;
            case 'exponentialHistogram':
              Object.assign(q, {
                count: u64(p.count), sum: optNum(p.sum), min: optNum(p.min), max: optNum(p.max),
                scale: int(p.scale), zeroCount: u64(p.zeroCount), zeroThreshold: num(p.zeroThreshold),
                positive: buckets(p.positive), negative: buckets(p.negative),
                exemplars: exemplars(p.exemplars),
              });
              break;
            case 'summary':
              Object.assign(q, {
                count: u64(p.count), sum: num(p.sum),
                quantileValues: (p.quantileValues ?? []).map((v) => ({ quantile: num(v.quantile), value: num(v.value) })),
              });
              break;
          }
          return q;
        });
        items.push(item);
      }
  return { resourceGroups: (req.resourceMetrics ?? []).length, items };
}

function logs(buf) {
  const req = collector.logs.v1.ExportLogsServiceRequest.decode(buf);
  const raw = rawItems(buf);
  const items = [];
  for (const rl of req.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const r of sl.logRecords ?? []) {
        const wire = raw[items.length];
        const eventName = sub(wire, 12)[0];
        items.push({
          timeUnixNano: u64(r.timeUnixNano),
          observedTimeUnixNano: u64(r.observedTimeUnixNano),
          severityNumber: int(r.severityNumber),
          severityText: str(r.severityText),
          body: r.body ? value(r.body) : null,
          attributes: attributes(r.attributes),
          droppedAttributesCount: int(r.droppedAttributesCount),
          flags: int(r.flags),
          traceId: hex(r.traceId),
          spanId: hex(r.spanId),
          eventName: eventName ? Buffer.from(eventName).toString('utf8') : '',
          resource: resource(rl.resource, rl.schemaUrl),
          scope: scope(sl.scope, sl.schemaUrl),
        });
      }
  return { resourceGroups: (req.resourceLogs ?? []).length, items };
}

// ---- comparison -------------------------------------------------------------------------

function diff(expected, actual, where, out) {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${where}: expected ${expected.length} items, decoded ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); ++i) diff(expected[i], actual[i], `${where}[${i}]`, out);
  } else if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    for (const k of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(k in actual)) out.push(`${where}.${k}: missing from the decoded request (expected ${JSON.stringify(expected[k])})`);
      else if (!(k in expected)) out.push(`${where}.${k}: decoded ${JSON.stringify(actual[k])}, not expected`);
      else diff(expected[k], actual[k], `${where}.${k}`, out);
    }
  } else if (!Object.is(expected, actual)) {
    out.push(`${where}: expected ${JSON.stringify(expected)}, decoded ${JSON.stringify(actual)}`);
  }
}

const byKey = (key) => (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const signals = {
  traces: { decode: traces, order: byKey((s) => s.spanId) },
  metrics: { decode: metrics, order: null },  // one resource, scopes in order: same order
  logs: { decode: logs, order: byKey((r) => Number(r.attributes.n.i)) },
};

const writer = process.argv[2];
if (!writer) {
  console.error('usage: node decode_check.mjs <otlp_js_write_fixtures>');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agtel-otlp-js-'));
let failed = false;
try {
  execFileSync(writer, [dir], { stdio: 'inherit', timeout: 30000 });
  for (const [name, { decode, order }] of Object.entries(signals)) {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), 'utf8'));
    const bytes = fs.readFileSync(path.join(dir, `${name}.pb`));
    const actual = decode(bytes);
    if (order) {
      expected.items.sort(order);
      actual.items.sort(order);
    }
    const problems = [];
    diff(expected, actual, name, problems);
    if (expected.items.length === 0) problems.push(`${name}: the fixture is empty`);
    if (problems.length) {
      failed = true;
      console.error(`${name}: ${problems.length} difference(s) between agtel's request and the JS decoder's reading:`);
      for (const p of problems.slice(0, 30)) console.error(`  ${p}`);
    } else {
      console.log(`${name}: ${actual.items.length} items in ${bytes.length} bytes decoded exactly`);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
