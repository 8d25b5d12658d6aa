#!/usr/bin/env python3
"""Checks deploy/ (issue 8): the Prometheus rules, the Grafana dashboard, and both against
a real Prometheus that scrapes `agtel demo`.

    check_deploy.py rules                       promtool check config/rules, promtool test rules
    check_deploy.py dashboard                   the dashboard JSON's structure
    check_deploy.py live AGTEL WORK_DIR         Prometheus 2.42 + agtel demo, every query

`live`: Prometheus on 127.0.0.1 (free port, temporary storage under WORK_DIR, 1 s scrape and
rule evaluation, exemplar storage on) loads the recording and alert rules and scrapes
`agtel demo --speed 20`, which serves /metrics on another free port. After 35 s the script
asks Prometheus's HTTP API for
  - the values of each template variable (as Grafana's label_values does), non-empty;
  - every panel target, twice: with every variable at "All" (each target has an expected
    shape: result type, labels, number of series, value range) and with one service, one
    agent and two models selected (non-empty, and only the selected values come back);
  - the exemplars of every target that shows them, with trace ids;
  - every recording rule's expression and its recorded series, non-empty; every rule
    (alerts included) evaluated by Prometheus without error.
Grafana's macros become what Grafana would send for a 5 s step and a 1 s scrape interval:
$__interval=5s, $__rate_interval=max(5s+1s, 4*1s)=6s, $__range=the scraped time range.
A query that returns nothing fails the test, named by panel and refId.

Options: --deploy DIR (default: the repository's deploy/) checks another copy. Peers:
Debian's prometheus package (prometheus, promtool); missing peers fail, never skip.
Standard library only.
"""
import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTALL_HINT = "install it: apt-get install --no-install-recommends prometheus"

failures = []


def fail(msg):
    failures.append(msg)
    print(f"FAIL: {msg}", file=sys.stderr)


def need(tool):
    path = shutil.which(tool)
    if not path:
        print(f"check_deploy: {tool} not found on PATH; {INSTALL_HINT}", file=sys.stderr)
        sys.exit(2)
    return path


# ---- rules ----------------------------------------------------------------------------------

def check_rules(deploy):
    promtool = need("promtool")
    prom = deploy / "prometheus"
    for args in (["check", "config", str(prom / "prometheus.yml")],
                 ["check", "rules", str(prom / "agtel-recording-rules.yml"),
                  str(prom / "agtel-alert-rules.yml")],
                 ["test", "rules", str(prom / "agtel-alert-rules.test.yml")]):
        r = subprocess.run([promtool, *args], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            fail(f"promtool {' '.join(args[:2])} exited {r.returncode}:\n{r.stdout}{r.stderr}")
        else:
            print(f"ok: promtool {' '.join(args)}")
    # Every alert has a fire and a no-fire case: some eval with the alert expected and some
    # with it not (an empty exp_alerts), in the test file (parsed loosely: it is YAML).
    alerts = re.findall(r"^\s*- alert: (\S+)", (prom / "agtel-alert-rules.yml").read_text(), re.M)
    tests = (prom / "agtel-alert-rules.test.yml").read_text()
    cases = re.findall(r"alertname: (\S+)\n\s*exp_alerts:( \[\])?", tests)
    for a in alerts:
        fires = any(n == a and not empty for n, empty in cases)
        quiet = any(n == a and empty for n, empty in cases) or \
            re.search(r"#[^\n]*" + re.escape(a) + r"[^\n]*does not", tests)
        if not fires:
            fail(f"alert {a}: no unit test expects it to fire")
        if not quiet:
            fail(f"alert {a}: no unit test expects it to stay quiet")
    # Thresholds are marked and repeated in an annotation.
    text = (prom / "agtel-alert-rules.yml").read_text()
    for block in re.split(r"\n(?=      - alert: )", text)[1:]:
        name = re.search(r"- alert: (\S+)", block).group(1)
        if "# THRESHOLD" not in block or "threshold:" not in block:
            fail(f"alert {name}: threshold not marked (# THRESHOLD) or not in an annotation")
        for key in ("summary:", "runbook:", "severity:"):
            if key not in block:
                fail(f"alert {name}: no {key[:-1]}")


# ---- dashboard structure --------------------------------------------------------------------

GRAFANA_MACROS = {"__rate_interval", "__interval", "__range", "__interval_ms", "__range_s"}
REQUIRED_VARS = ("datasource", "service", "agent", "model")


def load_dashboard(deploy):
    return json.loads((deploy / "grafana" / "agents-overview.json").read_text(encoding="utf-8"))


def all_panels(d):
    for p in d.get("panels", []):
        yield p
        yield from p.get("panels", [])  # collapsed rows hold their panels


def check_dashboard(deploy):
    try:
        d = load_dashboard(deploy)
    except (OSError, ValueError) as e:
        fail(f"dashboard: cannot read agents-overview.json: {e}")
        return
    gen = deploy / "grafana" / "build_dashboard.py"
    if gen.exists() and deploy.resolve() == (REPO / "deploy").resolve():
        r = subprocess.run([sys.executable, str(gen), "--check"], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"dashboard: {r.stderr.strip()}")
    for key in ("uid", "title", "schemaVersion", "panels", "templating"):
        if key not in d:
            fail(f"dashboard: no '{key}'")
    if not isinstance(d.get("schemaVersion"), int) or d.get("schemaVersion", 0) < 36:
        fail(f"dashboard: schemaVersion {d.get('schemaVersion')!r}, want a current one (>= 36)")

    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    for name in REQUIRED_VARS:
        if name not in variables:
            fail(f"dashboard: no template variable '{name}'")
    if variables.get("datasource", {}).get("type") != "datasource" or \
            variables.get("datasource", {}).get("query") != "prometheus":
        fail("dashboard: variable 'datasource' must be a Prometheus data source variable")
    for name in ("service", "agent", "model"):
        v = variables.get(name, {})
        q = v.get("definition") or (v.get("query") or {}).get("query", "")
        if v.get("type") != "query" or not q.startswith("label_values("):
            fail(f"dashboard: variable '{name}' is not a label_values query: {q!r}")
        if (v.get("datasource") or {}).get("uid") != "${datasource}":
            fail(f"dashboard: variable '{name}' does not use ${{datasource}}")

    ids, boxes = set(), []
    recorded = set(re.findall(r"^\s*- record: (\S+)", (deploy / "prometheus" /
                                                         "agtel-recording-rules.yml").read_text(), re.M))
    for p in all_panels(d):
        title = p.get("title", "?")
        pid = p.get("id")
        if not isinstance(pid, int):
            fail(f"panel '{title}': id {pid!r} is not an integer")
        elif pid in ids:
            fail(f"panel '{title}': id {pid} is used twice")
        ids.add(pid)
        g = p.get("gridPos") or {}
        x, y, w, h = (g.get(k) for k in ("x", "y", "w", "h"))
        if not all(isinstance(n, int) for n in (x, y, w, h)):
            fail(f"panel '{title}': gridPos {g} is not four integers")
            continue
        if x < 0 or y < 0 or w < 1 or h < 1 or x + w > 24:
            fail(f"panel '{title}': gridPos {g} is outside the 24-column grid")
        for (bx, by, bw, bh, other) in boxes:
            if x < bx + bw and bx < x + w and y < by + bh and by < y + h:
                fail(f"panel '{title}': gridPos {g} overlaps panel '{other}'")
        boxes.append((x, y, w, h, title))
        if p.get("type") == "row":
            continue
        if not p.get("title"):
            fail(f"panel {pid}: no title")
        if (p.get("datasource") or {}).get("uid") != "${datasource}":
            fail(f"panel '{title}': datasource is not ${{datasource}}: {p.get('datasource')}")
        targets = p.get("targets") or []
        if not targets:
            fail(f"panel '{title}': no targets")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs) or not all(refs):
            fail(f"panel '{title}': refIds missing or repeated: {refs}")
        for t in targets:
            where = f"panel '{title}' target {t.get('refId')}"
            ds = t.get("datasource") or {}
            if ds.get("uid") != "${datasource}" or ds.get("type") != "prometheus":
                fail(f"{where}: datasource is not the Prometheus ${{datasource}}: {ds}")
            expr = t.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                fail(f"{where}: no expr")
                continue
            for var in re.findall(r"\$\{?(\w+)", expr):
                if var not in variables and var not in GRAFANA_MACROS:
                    fail(f"{where}: ${var} is no template variable or Grafana macro")
            for name in re.findall(r"\bagtel:[A-Za-z0-9_:]+", expr):
                if name not in recorded:
                    fail(f"{where}: {name} is recorded by no rule in agtel-recording-rules.yml")
    print(f"ok: dashboard structure ({len(ids)} panels, variables {sorted(variables)})"
          if not failures else "dashboard structure: see failures above")


# ---- live -----------------------------------------------------------------------------------

class Shape:
    """What a target must return with every variable at All."""

    def __init__(self, labels=(), min_series=1, lo=0.0, hi=math.inf, max_series=None):
        self.labels, self.min_series, self.lo, self.hi = tuple(labels), min_series, lo, hi
        self.max_series = max_series


AGENT, MODEL, TOOL = "gen_ai_agent_name", "gen_ai_request_model", "gen_ai_tool_name"
# The demo has 5 agents (coordinator, planner, researcher, coder, reviewer), 4 models (one
# unpriced), 4 tools and 3 task priorities.
SHAPES = {
    ("Agent run rate by agent", "A"): Shape([AGENT], 5),
    ("Active agents", "A"): Shape([], 1, 0, 20, max_series=1),
    ("Error rate", "A"): Shape([], 1, 0, 1, max_series=1),
    ("Error rate", "B"): Shape([], 1, 0, 1, max_series=1),
    ("Error rate", "C"): Shape([], 1, 0, 1, max_series=1),
    ("Active agents by agent", "A"): Shape([AGENT], 5, 0, 20),
    ("Errors by type", "A"): Shape(["component", "error_type"], 1),
    ("Tokens used", "A"): Shape([], 1, 1, max_series=1),
    ("Tokens used", "B"): Shape(["gen_ai_token_type"], 2, 1, max_series=2),
    ("Tokens by model, input vs output", "A"): Shape([MODEL, "gen_ai_token_type"], 8),
    ("Cost by model", "A"): Shape([MODEL], 3, 0, 1000),
    ("Spend rate by model", "A"): Shape([MODEL], 3, 0, 1e6),
    ("Unpriced LLM calls", "A"): Shape([MODEL], 1, 0),
    ("Context-window utilization", "A"): Shape([AGENT], 5, 0, 1),
    ("Agent run duration p50 / p95 / p99", "A"): Shape([AGENT], 5, 0, 409.6),
    ("Agent run duration p50 / p95 / p99", "B"): Shape([AGENT], 5, 0, 409.6),
    ("Agent run duration p50 / p95 / p99", "C"): Shape([AGENT], 5, 0, 409.6),
    ("LLM call duration p95 by model", "A"): Shape([MODEL], 4, 0, 81.92),
    ("Time to first chunk p95 by model", "A"): Shape([MODEL], 4, 0, 81.92),
    ("Tool call duration p95 by tool", "A"): Shape([TOOL], 4, 0, 81.92),
    ("Tool call success rate by tool", "A"): Shape([TOOL], 4, 0, 1),
    ("Top tools by calls", "A"): Shape([TOOL], 4, 1),
    ("Task queue size by priority", "A"): Shape(["priority"], 3, 0, 1000),
}

SCRAPE_S, STEP_S = 1, 5
RATE_INTERVAL_S = max(STEP_S + SCRAPE_S, 4 * SCRAPE_S)
JOB = "agtel-demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=20) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            body = json.loads(e.read() or b"{}")
            raise RuntimeError(f"{e.code} {body.get('errorType')}: {body.get('error')}") from None
        if body.get("status") != "success":
            raise RuntimeError(f"{body.get('errorType')}: {body.get('error')}")
        return body["data"]


def stop(proc, name):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"check_deploy: {name} ignored SIGTERM for 15 s; killing it", file=sys.stderr)
        proc.kill()
        proc.wait(timeout=10)


def substitute(expr, values, range_s):
    for name, value in values.items():
        expr = expr.replace("${" + name + "}", value).replace("$" + name, value)
    return (expr.replace("$__rate_interval", f"{RATE_INTERVAL_S}s")
                .replace("$__interval", f"{STEP_S}s")
                .replace("$__range", f"{range_s}s"))


def finite_values(result, kind):
    for series in result:
        points = series["values"] if kind == "matrix" else [series["value"]]
        yield series["metric"], [float(v) for _, v in points if math.isfinite(float(v))]


def check_result(where, data, instant, shape, selected=None):
    """Checks one query's answer; `shape` with All, `selected` (label -> allowed values)
    with specific variable values. Returns the number of series."""
    want = "vector" if instant else "matrix"
    if data["resultType"] != want:
        fail(f"{where}: result type {data['resultType']}, expected {want}")
        return 0
    result = data["result"]
    if not result:
        fail(f"{where}: no data")
        return 0
    if shape:
        if len(result) < shape.min_series or (shape.max_series and len(result) > shape.max_series):
            got = sorted(json.dumps(s["metric"], sort_keys=True) for s in result)
            fail(f"{where}: {len(result)} series, expected {shape.min_series}"
                 f"{'..' + str(shape.max_series) if shape.max_series else ' or more'}: {got}")
    for metric, values in finite_values(result, data["resultType"]):
        if shape:
            missing = [l for l in shape.labels if not metric.get(l)]
            extra = sorted(set(metric) - set(shape.labels) - {"__name__"})
            if missing or extra:
                fail(f"{where}: series {metric} "
                     + (f"lacks labels {missing}" if missing else f"has extra labels {extra}")
                     + f"; expected exactly {list(shape.labels)}")
        if not values:
            fail(f"{where}: series {metric} has no finite value")
            continue
        if shape and not all(shape.lo <= v <= shape.hi for v in values):
            fail(f"{where}: series {metric} has values outside [{shape.lo}, {shape.hi}]: "
                 f"{min(values)}..{max(values)}")
        for label, allowed in (selected or {}).items():
            if label in metric and metric[label] not in allowed:
                fail(f"{where}: series {metric} has {label}={metric[label]!r}, "
                     f"but the selection is {sorted(allowed)}")
    return len(result)


def dashboard_targets(d):
    for p in all_panels(d):
        if p.get("type") == "row":
            continue
        for t in p.get("targets", []):
            yield p["title"], t


def check_live(deploy, agtel, work):
    prometheus = need("prometheus")
    if not os.access(agtel, os.X_OK):
        print(f"check_deploy: {agtel} is not an executable agtel binary", file=sys.stderr)
        sys.exit(2)
    d = load_dashboard(deploy)
    targets = list(dashboard_targets(d))
    keys = {(title, t["refId"]) for title, t in targets}
    for k in sorted(keys - SHAPES.keys()):
        fail(f"panel '{k[0]}' target {k[1]}: no expected shape in check_deploy.py SHAPES")
    for k in sorted(SHAPES.keys() - keys):
        fail(f"SHAPES names panel '{k[0]}' target {k[1]}, which the dashboard does not have")

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    agtel_port, prom_port = free_port(), free_port()
    while prom_port == agtel_port:
        prom_port = free_port()
    rules = [deploy / "prometheus" / "agtel-recording-rules.yml",
             deploy / "prometheus" / "agtel-alert-rules.yml"]
    (work / "prometheus.yml").write_text(
        f"global:\n  scrape_interval: {SCRAPE_S}s\n  scrape_timeout: {SCRAPE_S}s\n"
        f"  evaluation_interval: {SCRAPE_S}s\n"
        "rule_files:\n" + "".join(f"  - {r.resolve()}\n" for r in rules) +
        f"scrape_configs:\n  - job_name: {JOB}\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{agtel_port}']\n")

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OTEL_", "AGTEL_"))}
    env.update(OTEL_SERVICE_NAME=JOB, OTEL_METRICS_EXPORTER="prometheus",
               OTEL_EXPORTER_PROMETHEUS_HOST="127.0.0.1",
               OTEL_EXPORTER_PROMETHEUS_PORT=str(agtel_port),
               OTEL_TRACES_EXPORTER="none", OTEL_LOGS_EXPORTER="none")
    prom = demo = None
    api = Api(prom_port)
    try:
        prom = subprocess.Popen(
            [prometheus, f"--config.file={work / 'prometheus.yml'}",
             f"--storage.tsdb.path={work / 'data'}",
             f"--web.listen-address=127.0.0.1:{prom_port}",
             "--enable-feature=exemplar-storage", "--log.level=warn"],
            stdout=open(work / "prometheus.log", "w"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(api.base + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if prom.poll() is not None or time.time() > deadline:
                fail("prometheus did not become ready in 30 s: "
                     + (work / "prometheus.log").read_text()[-2000:])
                return
            time.sleep(0.3)

        demo_start = time.time()
        demo = subprocess.Popen(
            [agtel, "demo", "--duration", "150s", "--speed", "20", "--seed", "1"], cwd=work,
            env=env, stdout=open(work / "demo.out", "w"), stderr=open(work / "demo.err", "w"),
            stdin=subprocess.DEVNULL)
        # 35 s of scrapes: about ten sessions; every agent, model, tool and priority shows.
        while time.time() < demo_start + 35:
            if demo.poll() is not None:
                fail(f"agtel demo exited early ({demo.returncode}): "
                     + (work / "demo.err").read_text()[-2000:])
                return
            time.sleep(1)
        up = api.get("/api/v1/query", query=f'up{{job="{JOB}"}}')["result"]
        if not up or up[0]["value"][1] != "1":
            fail(f"Prometheus does not scrape the demo's /metrics (up={up}); "
                 f"targets: {api.get('/api/v1/targets')['activeTargets']}")
            return
        end = time.time() - 1
        start = demo_start
        range_s = int(end - start)
        print(f"check_deploy: evaluating at {end:.0f} over {range_s} s of scrapes")

        # Template variables, as Grafana's label_values(metric{...}, label) asks for them.
        options = {}
        for v in d["templating"]["list"]:
            if v.get("type") != "query":
                continue
            m = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", v["definition"])
            selector = substitute(m.group(1), {"service": ".*"}, range_s)
            try:
                vals = api.get(f"/api/v1/label/{m.group(2)}/values",
                               **{"match[]": selector, "start": start, "end": end})
            except RuntimeError as e:
                fail(f"variable {v['name']}: {v['definition']}: {e}")
                vals = []
            if not vals:
                fail(f"variable {v['name']}: {v['definition']} has no values")
            options[v["name"]] = vals
        if JOB not in options.get("service", []):
            fail(f"variable service: {options.get('service')} lacks the scraped job {JOB}")

        def run(title, t, values, shape=None, selected=None):
            where = f"panel '{title}' target {t['refId']}"
            expr = substitute(t["expr"], values, range_s)
            try:
                if t.get("instant"):
                    data = api.get("/api/v1/query", query=expr, time=end)
                else:
                    data = api.get("/api/v1/query_range", query=expr, start=start, end=end,
                                   step=STEP_S)
            except RuntimeError as e:
                fail(f"{where}: {e}\n  query: {expr}")
                return
            n = check_result(where + f" (variables {values})", data, t.get("instant"), shape,
                             selected)
            return n

        # 1. Every variable at All.
        everything = {"service": ".*", "agent": ".*", "model": ".*"}
        for title, t in targets:
            run(title, t, everything, SHAPES.get((title, t["refId"])))

        # 2. One service, one agent (the busiest tool user), two models (that agent's and an
        #    unpriced one), formatted as Grafana formats a multi-value selection for Prometheus.
        q = lambda e: api.get("/api/v1/query", query=e, time=end)["result"]
        busiest = q(f'topk(1, sum by (gen_ai_agent_name) '
                    f'(gen_ai_execute_tool_duration_seconds_count{{job="{JOB}"}}))')
        agent = busiest[0]["metric"]["gen_ai_agent_name"] if busiest else None
        models = sorted({s["metric"][MODEL] for s in q(
            f'gen_ai_client_token_usage_count{{job="{JOB}",gen_ai_agent_name="{agent}"}}')})
        unpriced = sorted({s["metric"][MODEL] for s in q(
            f'llm_cost_unpriced_calls_total{{job="{JOB}"}}')})
        if not agent or not models or not unpriced:
            fail(f"cannot pick a selection: agent {agent}, its models {models}, "
                 f"unpriced models {unpriced}")
        else:
            chosen = sorted({models[0], unpriced[0]})
            for name, want in (("agent", [agent]), ("model", chosen)):
                if not set(want) <= set(options.get(name, [])):
                    fail(f"variable {name}: options {options.get(name)} lack {want}")
            one = {"service": JOB, "agent": agent, "model": "(" + "|".join(chosen) + ")"}
            selected = {"job": {JOB}, AGENT: {agent}, MODEL: set(chosen)}
            for title, t in targets:
                run(title, t, one, None, selected)

        # 3. Exemplars behind the latency panels: trace ids to link to.
        for title, t in targets:
            if not t.get("exemplar"):
                continue
            where = f"panel '{title}' target {t['refId']} exemplars"
            try:
                ex = api.get("/api/v1/query_exemplars", query=substitute(t["expr"], everything,
                                                                           range_s),
                             start=start, end=end)
            except RuntimeError as e:
                fail(f"{where}: {e}")
                continue
            ids = [e["labels"].get("trace_id", "") for s in ex for e in s["exemplars"]]
            if not ids:
                fail(f"{where}: none")
            elif not all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids):
                fail(f"{where}: exemplars without a trace id: {ids[:5]}")

        # 4. The rules as Prometheus runs them.
        groups = api.get("/api/v1/rules")["groups"]
        loaded = [r for g in groups for r in g["rules"]]
        n_record = sum(r["type"] == "recording" for r in loaded)
        n_alert = sum(r["type"] == "alerting" for r in loaded)
        if n_record == 0 or n_alert == 0:
            fail(f"Prometheus loaded {n_record} recording and {n_alert} alerting rules")
        for r in loaded:
            name = r["name"]
            if r.get("health") != "ok" or r.get("lastError"):
                fail(f"rule {name}: health {r.get('health')}: {r.get('lastError')}")
            if r["type"] != "recording":
                continue
            for what, expr in (("expression", r["query"]), ("recorded series", name)):
                try:
                    data = api.get("/api/v1/query", query=expr, time=end)
                except RuntimeError as e:
                    fail(f"recording rule {name} {what}: {e}")
                    continue
                check_result(f"recording rule {name} {what}", data, True, None)
        print(f"check_deploy: {len(targets)} panel targets x 2 selections, "
              f"{n_record} recording rules, {n_alert} alert rules evaluated")
    finally:
        stop(demo, "agtel demo")
        stop(prom, "prometheus")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=["rules", "dashboard", "live"])
    ap.add_argument("agtel", nargs="?", help="the agtel binary (live)")
    ap.add_argument("work", nargs="?", help="a scratch directory, emptied first (live)")
    ap.add_argument("--deploy", type=Path, default=REPO / "deploy")
    a = ap.parse_args()
    if a.step == "rules":
        check_rules(a.deploy)
    elif a.step == "dashboard":
        check_dashboard(a.deploy)
    else:
        if not a.agtel or not a.work:
            ap.error("live needs AGTEL and WORK_DIR")
        check_live(a.deploy, a.agtel, Path(a.work).resolve())
    if failures:
        print(f"check_deploy {a.step}: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print(f"check_deploy {a.step}: ok")


if __name__ == "__main__":
    main()
