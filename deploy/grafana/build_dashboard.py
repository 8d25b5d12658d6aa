#!/usr/bin/env python3
"""Writes agents-overview.json, the Grafana dashboard for agtel metrics.

    python3 deploy/grafana/build_dashboard.py          # rewrite the JSON next to this file
    python3 deploy/grafana/build_dashboard.py --check  # exit 1 if the JSON is not current

The JSON is what users import; this script is where it is edited (one place for the
filters, the data source and the layout). tests/deploy/check_deploy.py runs --check.
Standard library only.
"""
import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("agents-overview.json")
DS = {"type": "prometheus", "uid": "${datasource}"}

# Label filters from the template variables. `job` is the service (see docs/dashboards.md).
SVC = 'job=~"$service"'
AGENT = f'{SVC}, gen_ai_agent_name=~"$agent"'
MODEL = f'{SVC}, gen_ai_request_model=~"$model"'
AGENT_MODEL = f'{AGENT}, gen_ai_request_model=~"$model"'

_next_id = [0]


def next_id():
    _next_id[0] += 1
    return _next_id[0]


def target(ref, expr, legend="", instant=False, exemplar=False):
    return {
        "datasource": DS,
        "refId": ref,
        "expr": expr,
        "legendFormat": legend or "__auto",
        "range": not instant,
        "instant": instant,
        "exemplar": exemplar,
        "editorMode": "code",
    }


def panel(kind, title, description, pos, targets, unit="short", **extra):
    x, y, w, h = pos
    p = {
        "id": next_id(),
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "targets": targets,
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {},
    }
    if kind == "timeseries":
        p["fieldConfig"]["defaults"]["custom"] = {"drawStyle": "line", "fillOpacity": 10,
                                                  "showPoints": "never", "spanNulls": True}
        p["options"] = {"legend": {"displayMode": "table", "placement": "right",
                                   "calcs": ["lastNotNull", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}
    elif kind == "stat":
        p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "value", "graphMode": "none", "textMode": "value_and_name"}
    elif kind == "bargauge":
        p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "orientation": "horizontal", "displayMode": "gradient"}
    for k, v in extra.items():
        if k == "defaults":
            p["fieldConfig"]["defaults"].update(v)
        else:
            p[k] = v
    return p


def row(title, y):
    return {"id": next_id(), "type": "row", "title": title, "collapsed": False,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


def ratio_or_zero(selector_bad, selector_all, by=""):
    """bad / all, with 0 (not "no data") where nothing failed."""
    grp = f"sum by ({by}) " if by else "sum "
    return (f"(\n  {grp}({selector_bad})\n  or 0 * {grp}({selector_all})\n)\n"
            f"/ {grp}({selector_all})")


def quantile(q, metric, by, flt):
    return (f"histogram_quantile({q}, sum by (le, {by}) "
            f"(rate({metric}_bucket{{{flt}}}[$__rate_interval])))")


PCT = {"unit": "percentunit", "min": 0, "max": 1}
LATENCY_NOTE = (" Exemplars (dots) link to the trace of a recorded call when the Prometheus "
                "data source has exemplars to a tracing data source configured.")


def panels():
    out = []
    # ---- overview --------------------------------------------------------------------------
    out.append(row("Overview", 0))
    out.append(panel(
        "timeseries", "Agent run rate by agent",
        "Agent runs finished per second (gen_ai.invoke_agent.duration count), failed or not.",
        (0, 1, 10, 8),
        [target("A", "sum by (gen_ai_agent_name) (\n  rate(gen_ai_invoke_agent_duration_seconds_count{"
                + AGENT + "}[$__rate_interval])\n)", "{{gen_ai_agent_name}}")],
        unit="reqps"))
    out.append(panel(
        "stat", "Active agents",
        "Agent runs in progress now (agent.active), over the selected services and agents.",
        (10, 1, 4, 8),
        [target("A", "sum(agent_active{" + AGENT + "})", "active", instant=True)]))
    out.append(panel(
        "timeseries", "Error rate",
        "Share of agent runs, tool calls and LLM calls that failed (error.type set), over 5m "
        "(recording rules). 0 when nothing failed.",
        (14, 1, 10, 8),
        [target("A", ratio_or_zero(
                    'agtel:gen_ai_invoke_agent_runs:rate5m{' + AGENT + ', error_type!=""}',
                    'agtel:gen_ai_invoke_agent_runs:rate5m{' + AGENT + '}'), "agent runs"),
         target("B", ratio_or_zero(
                    'agtel:gen_ai_execute_tool_calls:rate5m{' + AGENT + ', error_type!=""}',
                    'agtel:gen_ai_execute_tool_calls:rate5m{' + AGENT + '}'), "tool calls"),
         target("C", ratio_or_zero(
                    'agtel:gen_ai_client_operation_calls:rate5m{' + MODEL + ', error_type!=""}',
                    'agtel:gen_ai_client_operation_calls:rate5m{' + MODEL + '}'), "LLM calls")],
        defaults=PCT))
    out.append(panel(
        "timeseries", "Active agents by agent",
        "Runs in progress per agent (agent.active).", (0, 9, 10, 7),
        [target("A", "sum by (gen_ai_agent_name) (agent_active{" + AGENT + "})",
                "{{gen_ai_agent_name}}")]))
    out.append(panel(
        "timeseries", "Errors by type",
        "Errors per second by component (agent, tool, llm, task, ...) and error.type (errors "
        "counter). Not filtered by agent or model: the counter has no such labels.",
        (10, 9, 14, 7),
        [target("A", "sum by (component, error_type) (\n  rate(errors_total{" + SVC
                + "}[$__rate_interval])\n)", "{{component}} {{error_type}}")],
        unit="short"))

    # ---- tokens and cost -------------------------------------------------------------------
    out.append(row("Tokens and cost", 16))
    out.append(panel(
        "stat", "Tokens used",
        "Tokens in the selected time range (gen_ai.client.token.usage sum): total, input and "
        "output.", (0, 17, 6, 8),
        [target("A", "sum(increase(gen_ai_client_token_usage_sum{" + AGENT_MODEL
                + "}[$__range]))", "total", instant=True),
         target("B", "sum by (gen_ai_token_type) (\n  increase(gen_ai_client_token_usage_sum{"
                + AGENT_MODEL + "}[$__range])\n)", "{{gen_ai_token_type}}", instant=True)]))
    out.append(panel(
        "timeseries", "Tokens by model, input vs output",
        "Tokens per second by model and token type, over 5m (recording rule).", (6, 17, 10, 8),
        [target("A", "sum by (gen_ai_request_model, gen_ai_token_type) (\n"
                "  agtel:gen_ai_client_token_usage:rate5m{" + AGENT_MODEL + "}\n)",
                "{{gen_ai_request_model}} {{gen_ai_token_type}}")]))
    out.append(panel(
        "bargauge", "Cost by model",
        "USD spent in the selected time range, by model (llm.cost; priced calls only).",
        (16, 17, 8, 8),
        [target("A", "sort_desc(sum by (gen_ai_request_model) (\n  increase(llm_cost_total{"
                + MODEL + "}[$__range])\n))", "{{gen_ai_request_model}}", instant=True)],
        unit="currencyUSD"))
    out.append(panel(
        "timeseries", "Spend rate by model",
        "USD per hour at the current rate, by model, over 5m (recording rule).",
        (0, 25, 10, 8),
        [target("A", "sum by (gen_ai_request_model) (agtel:llm_cost:rate5m{" + MODEL
                + "}) * 3600", "{{gen_ai_request_model}}")],
        unit="currencyUSD"))
    out.append(panel(
        "stat", "Unpriced LLM calls",
        "Calls in the selected range to models with no price in the price table: their cost is "
        "missing from the cost panels.", (10, 25, 4, 8),
        [target("A", "sum by (gen_ai_request_model) (\n  increase(llm_cost_unpriced_calls_total{"
                + MODEL + "}[$__range])\n)", "{{gen_ai_request_model}}", instant=True)]))
    out.append(panel(
        "timeseries", "Context-window utilization",
        "Share of the context window in use (context_window.utilization), the latest value per "
        "agent. Alert at 90%.", (14, 25, 10, 8),
        [target("A", "max by (gen_ai_agent_name) (context_window_utilization_ratio{" + AGENT + "})",
                "{{gen_ai_agent_name}}")],
        defaults=dict(PCT, thresholds={"mode": "absolute", "steps": [
            {"color": "green", "value": None}, {"color": "orange", "value": 0.75},
            {"color": "red", "value": 0.9}]})))

    # ---- latency ---------------------------------------------------------------------------
    out.append(row("Latency", 33))
    m = "gen_ai_invoke_agent_duration_seconds"
    out.append(panel(
        "timeseries", "Agent run duration p50 / p95 / p99",
        "Agent run duration quantiles by agent (gen_ai.invoke_agent.duration)." + LATENCY_NOTE,
        (0, 34, 12, 9),
        [target(ref, quantile(q, m, "gen_ai_agent_name", AGENT), f"{name} {{{{gen_ai_agent_name}}}}",
                exemplar=True)
         for ref, q, name in (("A", 0.5, "p50"), ("B", 0.95, "p95"), ("C", 0.99, "p99"))],
        unit="s"))
    out.append(panel(
        "timeseries", "LLM call duration p95 by model",
        "95th percentile of LLM call duration by model (gen_ai.client.operation.duration), "
        "failed calls included." + LATENCY_NOTE, (12, 34, 12, 9),
        [target("A", quantile(0.95, "gen_ai_client_operation_duration_seconds",
                              "gen_ai_request_model", MODEL), "{{gen_ai_request_model}}",
                exemplar=True)],
        unit="s"))
    out.append(panel(
        "timeseries", "Time to first chunk p95 by model",
        "95th percentile of the time from request to the first streamed chunk, by model "
        "(gen_ai.client.operation.time_to_first_chunk)." + LATENCY_NOTE, (0, 43, 12, 9),
        [target("A", quantile(0.95, "gen_ai_client_operation_time_to_first_chunk_seconds",
                              "gen_ai_request_model", MODEL), "{{gen_ai_request_model}}",
                exemplar=True)],
        unit="s"))
    out.append(panel(
        "timeseries", "Tool call duration p95 by tool",
        "95th percentile of tool call duration by tool (gen_ai.execute_tool.duration)."
        + LATENCY_NOTE, (12, 43, 12, 9),
        [target("A", quantile(0.95, "gen_ai_execute_tool_duration_seconds", "gen_ai_tool_name",
                              AGENT), "{{gen_ai_tool_name}}", exemplar=True)],
        unit="s"))

    # ---- tools and tasks -------------------------------------------------------------------
    out.append(row("Tools and tasks", 52))
    out.append(panel(
        "timeseries", "Tool call success rate by tool",
        "Share of tool calls that succeeded (no error.type), by tool, over 5m (recording rule).",
        (0, 53, 10, 8),
        [target("A", ratio_or_zero(
            'agtel:gen_ai_execute_tool_calls:rate5m{' + AGENT + ', error_type=""}',
            'agtel:gen_ai_execute_tool_calls:rate5m{' + AGENT + '}', by="gen_ai_tool_name"),
            "{{gen_ai_tool_name}}")],
        defaults=PCT))
    out.append(panel(
        "bargauge", "Top tools by calls",
        "The 10 most called tools in the selected time range.", (10, 53, 7, 8),
        [target("A", "topk(10, sum by (gen_ai_tool_name) (\n  increase(gen_ai_execute_tool_duration_seconds_count{"
                + AGENT + "}[$__range])\n))", "{{gen_ai_tool_name}}", instant=True)]))
    out.append(panel(
        "timeseries", "Task queue size by priority",
        "Tasks queued and not started yet (task.queue.size), by priority. Alert: over 50 for 10m.",
        (17, 53, 7, 8),
        [target("A", "sum by (priority) (task_queue_size{" + SVC + "})", "{{priority}}")]))
    return out


def variable(name, label, query):
    return {
        "type": "query", "name": name, "label": label,
        "datasource": DS,
        "query": {"query": query, "refId": f"{name}-values", "qryType": 1},
        "definition": query,
        "refresh": 2, "sort": 1, "regex": "",
        "multi": True, "includeAll": True, "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [], "hide": 0,
    }


def dashboard():
    return {
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
        ],
        "uid": "agtel-agents-overview",
        "title": "agtel / Agents overview",
        "description": "AI-agent runs, tools, LLM calls, tokens, cost and queues from agtel "
                       "metrics. Needs deploy/prometheus/agtel-recording-rules.yml loaded.",
        "tags": ["agtel", "ai-agents", "opentelemetry"],
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "timepicker": {},
        "timezone": "",
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [],
        "templating": {"list": [
            {"type": "datasource", "name": "datasource", "label": "Data source",
             "query": "prometheus", "regex": "", "refresh": 1, "hide": 0, "options": [],
             "current": {}},
            variable("service", "Service (job)", "label_values(target_info, job)"),
            variable("agent", "Agent", 'label_values(gen_ai_invoke_agent_duration_seconds_count{job=~"$service"}, gen_ai_agent_name)'),
            variable("model", "Model", 'label_values(gen_ai_client_operation_duration_seconds_count{job=~"$service"}, gen_ai_request_model)'),
        ]},
        "panels": panels(),
    }


def render():
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    text = render()
    if sys.argv[1:] == ["--check"]:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is not what {Path(__file__).name} writes: run it and commit the result",
                  file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
    OUT.write_text(text, encoding="utf-8")
