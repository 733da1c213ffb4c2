"""Checks that scripts/fuzz-api.sh adds to Schemathesis' own (loaded through SCHEMATHESIS_HOOKS).

powens_error_body: every 4xx/5xx is the Powens error body {code, description, request_id}
(the browser-facing /2.0/webauth and /2.0/auth/webview answer their errors as HTML pages,
as /openapi.json documents).

own_document: every response, whichever document the run generates requests from, conforms
to the sandbox's own /openapi.json (status documented, JSON body valid against its schema).
"""

import json
import os
import re
import urllib.parse
import urllib.request

import schemathesis
from jsonschema import Draft202012Validator, FormatChecker

HTML_PAGES = re.compile(r"^/2\.0/(webauth|auth/webview/)")
_doc = None
_validators = {}


def _document():
    global _doc
    if _doc is None:
        with urllib.request.urlopen(os.environ["FUZZ_API_BASE"] + "/openapi.json") as r:
            _doc = json.load(r)
    return _doc


def _content_type(response):
    return (response.headers.get("content-type") or [""])[0].lower()


def _path(response):
    return urllib.parse.urlsplit(response.request.url).path


def _operation(method, path):
    """The operation of the own document for a concrete path: literal segments win."""
    segs = [s for s in path.split("/") if s]
    best, best_score = None, -1
    for template, item in _document()["paths"].items():
        tsegs = [s for s in template.split("/") if s]
        if len(tsegs) != len(segs) or method not in item:
            continue
        if all(t.startswith("{") or t == s for t, s in zip(tsegs, segs)):
            score = sum(not t.startswith("{") for t in tsegs)
            if score > best_score:
                best, best_score = (template, item[method]), score
    return best


@schemathesis.check
def powens_error_body(ctx, response, case):
    if response.status_code < 400:
        return
    path = _path(response)
    ctype = _content_type(response)
    if HTML_PAGES.match(path) and ctype.startswith("text/html"):
        return
    assert ctype.startswith("application/json"), f"error {response.status_code} as {ctype!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    for key in ("code", "description", "request_id"):
        assert isinstance(body.get(key), str), f"error body without a string {key!r}: {body}"


@schemathesis.check
def own_document(ctx, response, case):
    method = response.request.method.lower()
    path = _path(response)
    found = _operation(method, path)
    if found is None:
        return
    template, op = found
    responses = op.get("responses", {})
    documented = responses.get(str(response.status_code)) or responses.get("default")
    assert documented is not None, f"{response.status_code} not documented for {method} {template}"
    content = documented.get("content") or {}
    if not content:
        return
    ctype = _content_type(response)
    media = next((m for m in content if ctype.startswith(m)), None)
    assert media is not None, f"{method} {template} {response.status_code}: {ctype!r} is not one of {list(content)}"
    schema = content[media].get("schema")
    if media != "application/json" or schema is None:
        return
    key = (method, template, response.status_code)
    if key not in _validators:
        # The response schema with the document's components beside it, so that every
        # `#/components/...` reference resolves inside one document.
        _validators[key] = Draft202012Validator(
            {"allOf": [schema], "components": _document().get("components", {})},
            format_checker=FormatChecker(),
        )
    body = json.loads(response.content)
    errors = sorted(_validators[key].iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method} {template} {response.status_code}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]
    )

