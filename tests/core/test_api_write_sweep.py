"""Every write of the API refuses bad input in Chinese and changes nothing (the project's rule for write paths).

The operations and their bad inputs come from the API description (`api.get_openapi_schema()`), so an endpoint
added later is swept without touching this file. Each POST/PUT/PATCH/DELETE is called by a superuser with a
bearer token (past every role gate) with: an empty object; a body that is not JSON; the valid-looking body of
the schema minus each required field; each field of the wrong type (text for a number, a number for text, an
object for a list, null where null is not allowed); 100,000-character text; NaN, infinite, huge and negative
numbers; path ids that do not exist (999999) or do not fit a database integer (2**63); for a file upload, no
file and a junk file. Every answer must be a 4xx in JSON whose "detail" speaks Chinese, and the database must
be as it was (row counts of every table and the content of the tables that hold rows).

A request the schema itself allows (an operation without required fields called with an empty body, or a
valid-looking body whose path ids exist) is an "allowed" call: it may succeed, but never with a server error.

A body built from the schema alone is often refused early (an unknown doc_type, a start in the past, an id of
an object in the wrong state), before the service's own length and range checks. So, on the demo data, each
write is also sent a request it accepts (`api_bodies.py`: a factory per operation, which may first bring a demo
object into the state the operation needs): it must succeed, and the same request with one field at a time
missing or bad (the fields of nested objects and of the first item of each list included, and the past or
future dates the operation forbids) must be refused as above. Each of these calls runs in a savepoint rolled
back after it, so that every one meets the same database.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from fazhi.core.api_errors import has_chinese
from fazhi.core.models import User
from tests.conftest import PASSWORD
from tests.core import api_bodies

JSON = "application/json"
MISSING_ID = 999999
TOO_BIG_ID = 2**63  # one past the largest integer a database column holds
LONG_TEXT = "法" * 100_000
# Dates far ahead and far back, sent within a valid request: a date the operation does not forbid may be taken.
EXTREME_DATES = {
    "date": [("the year 2999", "2999-12-31"), ("the year 1900", "1900-01-01")],
    "date-time": [
        ("the year 2999", "2999-12-31T09:00:00+08:00"),
        ("the year 1900", "1900-01-01T09:00:00+08:00"),
    ],
}

# Tables the sweep does not compare, and why: a refused call still writes these on purpose.
NOT_COMPARED = {
    "core_apitoken",  # the bearer token's last_used_at is touched by every authenticated call
    "core_loginattempt",  # POST /auth/token with a wrong password is logged (网络安全法第二十一条) …
    "core_loginthrottle",  # … and counted towards the lock-out
    "django_session",
}


# --- reading the API description ------------------------------------------------------------------------------
def _spec() -> dict[str, Any]:
    from fazhi.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


SPEC = _spec()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema behind a $ref (and a lone allOf, as pydantic writes a field of a model type)."""
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = {
                **SPEC["components"]["schemas"][name],
                **{k: v for k, v in schema.items() if k != "$ref"},
            }
        elif len(schema.get("allOf", [])) == 1:
            schema = {**schema["allOf"][0], **{k: v for k, v in schema.items() if k != "allOf"}}
        else:
            return schema


def _variants(schema: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The non-null alternatives of a schema and whether null is allowed."""
    schema = _resolve(schema)
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return [schema], schema.get("type") == "null" or schema.get("nullable", False)
    resolved = [_resolve(o) for o in options]
    return [o for o in resolved if o.get("type") != "null"], any(o.get("type") == "null" for o in resolved)


def _type(schema: dict[str, Any]) -> str | None:
    kinds, _ = _variants(schema)
    types = {k.get("type") for k in kinds}
    if any("enum" in k or "const" in k for k in kinds):
        return "enum"
    if types & {"number", "integer"}:
        return "number" if "number" in types else "integer"  # an amount may also be sent as text ("12.5")
    return types.pop() if len(types) == 1 else None


def _sample(schema: dict[str, Any]) -> Any:
    """A value of the right shape: the body a careless but well-meaning client would send."""
    kinds, nullable = _variants(schema)
    if not kinds:
        return None
    s = kinds[0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if "enum" in s:
        return s["enum"][0]
    if "const" in s:
        return s["const"]
    if "example" in schema or "examples" in schema:
        return schema.get("example", (schema.get("examples") or [None])[0])
    kind = _type(schema)
    if kind == "string":
        fmt = s.get("format")
        if fmt == "date":
            return "2026-03-02"
        if fmt == "date-time":
            return "2026-03-02T09:00:00+08:00"
        if fmt == "time":
            return "09:00"
        if fmt == "binary":
            return None
        return "测试" * max(1, (s.get("minLength") or 0))
    if kind in ("integer", "number") and s.get("type") not in ("integer", "number"):
        s = next(k for k in kinds if k.get("type") in ("integer", "number"))
    if kind == "integer":
        if "minimum" in s:
            return int(s["minimum"])
        return int(s.get("exclusiveMinimum", 0)) + 1
    if kind == "number":
        return s.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "array":
        return [_sample(s.get("items", {}))] * (s.get("minItems") or 0)
    if kind == "object":
        props = s.get("properties", {})
        return {name: _sample(props[name]) for name in s.get("required", []) if name in props}
    return None if nullable else "测试"


def _fields(
    schema: dict[str, Any], prefix: tuple = (), base: Any = None
) -> list[tuple[tuple, dict[str, Any], bool]]:
    """(path, schema, required) of every property, nested objects included; with a `base` body, the fields of
    the first item of each list of objects it holds too (path (..., "quotas", 0, "count"))."""
    kinds, _ = _variants(schema)
    s = kinds[0] if kinds else {}
    out = []
    required = set(s.get("required", []))
    for name, sub in s.get("properties", {}).items():
        here = (*prefix, name)
        out.append((here, sub, name in required))
        sub_kinds, _ = _variants(sub)
        value = base.get(name) if isinstance(base, dict) else None
        if sub_kinds and sub_kinds[0].get("type") == "object" and sub_kinds[0].get("properties"):
            out += _fields(sub_kinds[0], here, value)
        elif sub_kinds and sub_kinds[0].get("type") == "array" and isinstance(value, list) and value:
            items = _variants(sub_kinds[0].get("items", {}))[0]
            if items and items[0].get("type") == "object" and isinstance(value[0], dict):
                out += _fields(items[0], (*here, 0), value[0])
    return out


def _with(body: dict[str, Any], path: tuple, value: Any = ..., *, drop: bool = False) -> dict[str, Any]:
    """The body with the field at `path` set to `value` (its parents created as needed) or dropped; an int in
    the path is an index into a list the body holds."""
    body = copy.deepcopy(body)
    node: Any = body
    for part in path[:-1]:
        if isinstance(part, int):
            node = node[part]
            continue
        if not isinstance(node.get(part), dict | list):
            node[part] = {}
        node = node[part]
    if drop:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return body


def _wrong_values(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """Values of a field's type the schema does not allow."""
    kind = _type(schema)
    _, nullable = _variants(schema)
    wrong: list[tuple[str, Any]] = []
    if not nullable:
        wrong.append(("null", None))
    if kind in ("string", "enum"):
        wrong += [("a number for text", 12345), ("a list for text", ["测试"])]
    if kind == "string" and _variants(schema)[0][0].get("format") not in ("date", "date-time", "time"):
        # A text the API documents as longer (a document's full text, a post's HTML) gets one too many.
        limit = _variants(schema)[0][0].get("maxLength") or 0
        if limit >= len(LONG_TEXT):
            wrong.append((f"{limit + 1:,} characters (maxLength {limit:,})", "法" * (limit + 1)))
        else:
            wrong.append(("100,000 characters", LONG_TEXT))
    if kind in ("string",) and _variants(schema)[0][0].get("format") in ("date", "date-time"):
        wrong += [("a date that does not exist", "2026-02-30"), ("a year 99999", "99999-01-01")]
    if kind in ("integer", "number"):
        wrong += [
            ("text for a number", "很多"),
            ("NaN", float("nan")),
            ("infinity", float("inf")),
            ("a huge number", 10**30),
            ("a negative number", -1),
        ]
    if kind == "boolean":
        wrong.append(("an object for true/false", {"a": 1}))
    if kind == "array":
        wrong += [("an object for a list", {"a": 1}), ("text for a list", "测试")]
        items = _variants(schema)[0][0].get("items", {})
        if _type(items) in ("string", "enum"):
            wrong.append(("a list of numbers for a list of text", [1, 2]))
        elif _type(items) in ("integer", "number"):
            wrong.append(("a list of text for a list of numbers", ["很多"]))
        elif _type(items) == "object":
            wrong.append(("a list of text for a list of objects", ["测试"]))
    if kind == "object":
        wrong += [("a list for an object", [1]), ("text for an object", "测试")]
    return wrong


@dataclass
class Call:
    """One request of the sweep. `allowed`: the schema permits it, so it may succeed (never a 5xx)."""

    label: str
    path: str
    body: bytes | dict[str, Any] | None = None
    content_type: str | None = JSON
    allowed: bool = False
    files: dict[str, Any] = field(default_factory=dict)


@dataclass
class Operation:
    method: str
    path: str
    params: list[dict[str, Any]]
    json_schema: dict[str, Any] | None
    form_schema: dict[str, Any] | None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, value_for: Any = None) -> str:
        """The path with each path parameter filled in (by default with an id that does not exist)."""
        url = self.path
        for p in self.params:
            if p["in"] != "path":
                continue
            kind = _type(p.get("schema", {}))
            value = value_for(p) if value_for else (MISSING_ID if kind == "integer" else "no-such-token")
            url = url.replace("{" + p["name"] + "}", str(value))
        return url

    def calls_within(self, valid: api_bodies.Valid) -> tuple[Call, list[Call]]:
        """The valid request (`valid`: its path ids, its body, its files), and the bad values again, one field
        at a time within it, so that each reaches the service's own checks; the values `valid.refused` names
        besides. A bad value `valid.accepts` names for its field is allowed (the service may take it)."""
        url = self.url(lambda p: valid.path[p["name"]])
        files = {name: _upload(*file) for name, file in valid.files.items()}
        if files or (self.json_schema is None and self.form_schema is not None):
            ok = Call("the valid request", url, valid.body, content_type=None, allowed=True, files=files)
        else:
            ok = Call("the valid request", url, valid.body, allowed=True)
        calls: list[Call] = []
        if self.json_schema is not None and not files:
            base = valid.body if valid.body is not None else _sample(self.json_schema)
            calls += [c for c in self._json_calls(url, allowed_if_valid=True, base=base) if not c.allowed]
            for path, values in valid.refused.items():
                name = ".".join(map(str, path))
                calls += [Call(f"{name}: {what}", url, _with(base, path, value)) for what, value in values]
            for path, sub, _ in _fields(self.json_schema, base=base):
                kinds, _ = _variants(sub)
                extremes = EXTREME_DATES.get(kinds[0].get("format", "") if kinds else "", [])
                if path not in valid.refused:  # may be taken (an old enterprise, a deadline far ahead)
                    name = ".".join(map(str, path))
                    calls += [
                        Call(f"{name}: {w}", url, _with(base, path, v), allowed=True) for w, v in extremes
                    ]
        if self.form_schema is not None:
            calls += self._form_calls(url, fields=valid.body if files else None, files=valid.files)
        accepted = {
            f"{'.'.join(map(str, path))}: {what}" for path, whats in valid.accepts.items() for what in whats
        }
        longer = {
            f"{'.'.join(map(str, path))}: 100,000 characters": (path, n) for path, n in valid.limits.items()
        }
        for call in calls:
            call.allowed = call.allowed or call.label in accepted
            if call.label in longer and isinstance(call.body, dict):
                path, limit = longer[call.label]
                call.label = f"{'.'.join(map(str, path))}: {limit + 1:,} characters (its limit {limit:,})"
                call.body = _with(call.body, path, "法" * (limit + 1))
        return ok, calls

    def calls(self) -> list[Call]:
        url = self.url()
        has_path_ids = any(p["in"] == "path" for p in self.params)
        calls: list[Call] = []
        for p in self.params:
            if p["in"] == "path" and _type(p.get("schema", {})) == "integer":
                too_big = self.url(lambda q, name=p["name"]: TOO_BIG_ID if q["name"] == name else MISSING_ID)
                calls.append(Call(f"path {p['name']} = 2**63", too_big, self._valid_body()))
        if has_path_ids:
            calls.append(Call("path ids that do not exist", url, self._valid_body()))
        if self.json_schema is not None:
            calls += self._json_calls(url, allowed_if_valid=not has_path_ids and self.form_schema is None)
        if self.form_schema is not None:
            calls += self._form_calls(url)
        if self.json_schema is None and self.form_schema is None:
            calls.append(Call("no body", url, allowed=not has_path_ids))
        return calls

    def _valid_body(self) -> dict[str, Any] | None:
        return _sample(self.json_schema) if self.json_schema is not None else None

    def _json_calls(self, url: str, *, allowed_if_valid: bool, base: Any = None) -> list[Call]:
        schema = self.json_schema
        assert schema is not None
        required = bool(_resolve(schema).get("required"))
        calls = [
            Call("an empty object", url, {}, allowed=allowed_if_valid and not required),
            Call("a body that is not JSON", url, b"{not json", JSON),
            Call("a list for the body", url, b"[1, 2]", JSON),
        ]
        within = base is not None
        base = base if within else _sample(schema)
        for path, sub, is_required in _fields(schema, base=base if within else None):
            name = ".".join(map(str, path))
            if is_required:
                calls.append(Call(f"{name} missing", url, _with(base, path, drop=True)))
            for what, value in _wrong_values(sub):
                calls.append(Call(f"{name}: {what}", url, _with(base, path, value)))
        return calls

    def _form_calls(
        self,
        url: str,
        *,
        fields: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> list[Call]:
        """Bad uploads (no file, junk files) with the form's fields; with the `files` of a valid request, also
        each text field over-long beside them."""
        schema = _resolve(self.form_schema or {})
        props = schema.get("properties", {})
        names = [n for n, s in props.items() if _resolve(s).get("format") == "binary"]
        if fields is None:
            fields = {
                n: _sample(s) for n, s in props.items() if n not in names and n in schema.get("required", [])
            }

        def junk(name: str, content: bytes) -> dict[str, Any]:
            return {f: _upload(name, content) for f in names}

        calls = [
            Call("multipart without the file", url, dict(fields), content_type=None),
            Call(
                "a junk .xlsx",
                url,
                dict(fields),
                content_type=None,
                files=junk("junk.xlsx", b"PK\x03\x04junk"),
            ),
            Call(
                "a junk .docx", url, dict(fields), content_type=None, files=junk("junk.docx", b"not a docx")
            ),
            Call("an empty file", url, dict(fields), content_type=None, files=junk("empty.xlsx", b"")),
            Call(
                "a file named .exe", url, dict(fields), content_type=None, files=junk("x.exe", b"MZ\x90\x00")
            ),
        ]
        for name, sub in props.items():
            if files and name not in names and _type(sub) == "string":
                calls.append(
                    Call(
                        f"{name}: 100,000 characters",
                        url,
                        {**fields, name: LONG_TEXT},
                        content_type=None,
                        files={n: _upload(*file) for n, file in files.items()},
                    )
                )
        return calls


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _operations() -> list[Operation]:
    ops = []
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            content = (op.get("requestBody") or {}).get("content", {})
            json_schema = content.get(JSON, {}).get("schema")
            form_schema = content.get("multipart/form-data", {}).get("schema")
            ops.append(Operation(method.upper(), path, op.get("parameters", []), json_schema, form_schema))
    return ops


OPERATIONS = _operations()


# --- objects to write to: the demo data (`fazhi demo setup`), created once per module and rolled back -----------
def _model_for(path: str, param: str) -> Any:
    """The model a path parameter names: in the app of the path, the model called like the parameter
    ("draft_id" → review.Draft, "member_id" → bidding.CommitteeMember); among several, the one the path
    spells ("precheck-findings/{finding_id}" → PrecheckFinding)."""
    app = path.removeprefix("/api/v1/").split("/")[0]
    stem = param.removesuffix("_id")
    try:
        models = apps.get_app_config(app).get_models()
    except LookupError:
        models = apps.get_app_config("core").get_models()
    found = [m for m in models if m.__name__.lower().endswith(stem)]
    spelled = path.replace("-", "").replace("/", "").lower()
    found.sort(key=lambda m: (m.__name__.lower() not in spelled, m.__name__ != stem.capitalize()))
    return found[0] if found else None


def _existing_value(path: str) -> Any:
    """value_for(parameter) → the id of the first row of the model a path parameter names, else 1; a year is
    the year of the first row of the path's other model that has one."""

    def value_for(param: dict[str, Any]) -> Any:
        name = param["name"]
        if name.endswith("_id") and (model := _model_for(path, name)) is not None:
            row = model.objects.order_by("pk").first()
            return row.pk if row else MISSING_ID
        for other in re.findall(r"{(\w+_id)}", path):
            model = _model_for(path, other)
            if model is not None and hasattr(model, name):
                row = model.objects.order_by("pk").first()
                if row is not None:
                    return getattr(row, name)
        for model in apps.get_app_config(path.removeprefix("/api/v1/").split("/")[0]).get_models():
            if name in {f.name for f in model._meta.fields} and (row := model.objects.first()) is not None:
                return getattr(row, name)
        return 1

    return value_for


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data in a transaction of its own, rolled back when the module's tests are done."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEBUG=True, MEDIA_ROOT=media, FAZHI_INDEX_DIR=media / "index"):
                call_command("demo_setup", stdout=io.StringIO())
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the database, before and after ---------------------------------------------------------------------------
def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} - NOT_COMPARED)


def _snapshot() -> tuple[tuple[int, ...], str]:
    """Row counts of every table (one query) and a digest of the content of the tables that hold rows."""
    tables = _tables()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables))
        counts = tuple(cursor.fetchone())
        digest = hashlib.sha256()
        for table, count in zip(tables, counts, strict=True):
            if count:
                cursor.execute(f"SELECT * FROM {q(table)} ORDER BY 1")  # noqa: S608 - table names from models
                digest.update(table.encode())
                digest.update(repr(cursor.fetchall()).encode())
    return counts, digest.hexdigest()


def _changed(before: tuple[tuple[int, ...], str], after: tuple[tuple[int, ...], str]) -> str:
    if before == after:
        return ""
    changed = [t for t, a, b in zip(_tables(), before[0], after[0], strict=True) if a != b]
    return f"rows changed in {changed}" if changed else "the content of a table changed"


# --- the sweep ------------------------------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    """A superuser in no role group: has_role admits it to every role."""
    return User.objects.create_superuser(username="root", password=PASSWORD)


def _send(client, op: Operation, call: Call, headers: dict[str, str]):
    send = getattr(client, op.method.lower())
    if call.content_type is None:  # multipart: Django's test client encodes dict bodies with files
        data = {k: v for k, v in (call.body or {}).items() if v is not None}
        data.update(call.files)
        assert op.method == "POST", "the test client encodes multipart bodies for POST only"
        return send(call.path, data, headers=headers)
    if call.body is None:
        return send(call.path, headers=headers)
    body = call.body if isinstance(call.body, bytes) else json.dumps(call.body, ensure_ascii=False)
    return send(call.path, body, content_type=call.content_type, headers=headers)


def _problem(resp, call: Call, changed: str) -> str:
    """What is wrong with the answer to one call ("" if nothing)."""
    status = resp.status_code
    if status >= 500:
        return f"answered {status}"
    try:
        body = json.loads(resp.content)
    except ValueError:
        return f"answered {status} with {resp.get('Content-Type')}, not JSON"
    if 200 <= status < 300 and call.allowed:
        return ""
    if not 400 <= status < 500:
        return f"answered {status} ({changed or 'nothing changed'}): {resp.content[:200]!r}"
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, str) or not has_chinese(detail):
        return f"answered {status} without a Chinese detail: {resp.content[:200]!r}"
    if changed:
        return f"answered {status} but {changed}"
    return ""


_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)", re.I
)


class _Writes:
    """Notes whether a request ran an INSERT, UPDATE or DELETE on a compared table (most refusals never reach
    the database; every authenticated call touches its token, which is not compared)."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        text = str(sql).lstrip()
        if text[:6].upper() in ("INSERT", "UPDATE", "DELETE", "REPLAC"):
            table = _WRITE.match(text)
            if table is None or table.group(1) not in NOT_COMPARED:
                self.seen = True
        return execute(sql, params, many, context)


def _sweep(client, op: Operation, calls: list[Call], headers: dict[str, str]) -> list[str]:
    problems = []
    state = _snapshot()
    for call in calls:
        writes = _Writes()
        with connection.execute_wrapper(writes):
            resp = _send(client, op, call, headers)
        after = _snapshot() if writes.seen else state  # no write statement: nothing can have changed
        changed = _changed(state, after)
        state = after  # a change is reported once; the next call is compared with the new state
        if call.allowed and 200 <= resp.status_code < 300:
            changed = ""  # a request the schema allows may write
        problem = _problem(resp, call, changed)
        if problem:
            problems.append(f"{call.label} ({call.path}): {problem}")
    return problems


def test_the_sweep_finds_the_api_writes():
    assert len(OPERATIONS) > 50
    assert {op.method for op in OPERATIONS} == {"POST", "PUT", "PATCH", "DELETE"}
    assert all(op.calls() for op in OPERATIONS)
    assert set(api_bodies.FACTORIES) <= {op.id for op in OPERATIONS}  # no factory for a write that is gone


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_every_write_refuses_bad_input_in_chinese_and_changes_nothing(client, superuser, token_for, op):
    problems = _sweep(client, op, op.calls(), token_for(superuser))
    assert problems == [], f"{op.id}\n  " + "\n  ".join(problems)


def _valid_request(op: Operation, root: User) -> api_bodies.Valid:
    """The request of `api_bodies.FACTORIES` for the operation, else the schema's body sent to the first demo
    object of each path id."""
    factory = api_bodies.FACTORIES.get(op.id)
    if factory is not None:
        return factory(root)
    value_for = _existing_value(op.path)
    path = {p["name"]: value_for(p) for p in op.params if p["in"] == "path"}
    return api_bodies.Valid(path=path, body=op._valid_body())


def _sweep_each(client, op: Operation, valid: Call, calls: list[Call], headers: dict[str, str]) -> list[str]:
    """As `_sweep`, each call in a savepoint rolled back after it, so that every call meets the same database;
    first the valid request, which must succeed."""
    problems = []
    state = None  # the database every call meets, read when a call first writes
    for call in [valid, *calls]:
        writes = _Writes()
        savepoint = transaction.savepoint()
        try:
            with connection.execute_wrapper(writes):
                resp = _send(client, op, call, headers)
            succeeded = 200 <= resp.status_code < 300
            after = _snapshot() if writes.seen and not (call.allowed and succeeded) else None
        finally:
            transaction.savepoint_rollback(savepoint)
        if call is valid and not succeeded:
            return [f"{call.label} ({call.path}): answered {resp.status_code}: {resp.content[:300]!r}"]
        if call.allowed and succeeded:
            continue  # a request the schema allows may write (and answer 204 without a body)
        if after is not None and state is None:
            state = _snapshot()  # rolled back: as it was before the call
        problem = _problem(resp, call, _changed(state, after) if after is not None else "")
        if problem:
            problems.append(f"{call.label} ({call.path}): {problem}")
    return problems


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_a_valid_request_succeeds_and_each_bad_value_within_it_is_refused(
    demo_data, client, superuser, token_for, settings, op
):
    """On the demo data: the valid request of the operation succeeds (so the sweep reaches the service), and the
    same request with one field missing or bad is a Chinese 4xx that changes nothing."""
    settings.MEDIA_ROOT = demo_data  # the demo's uploaded files
    valid = _valid_request(op, superuser)
    problems = _sweep_each(client, op, *op.calls_within(valid), token_for(valid.user or superuser))
    assert problems == [], f"{op.id}\n  " + "\n  ".join(problems)
