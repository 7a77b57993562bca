"""What a page may hold under the Content Security Policy (docs/security.md): no inline script,
no inline style, no event-handler attributes, no javascript: URLs, no htmx attributes that
evaluate code. JSON data blocks (<script type="application/json">) are data, not script: the
browser does not execute them and the policy allows them.

Used by the page test (test_browser_policy.py) on every served page and on every template."""
from __future__ import annotations

from html.parser import HTMLParser

# Script types the browser does not execute: data blocks.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/plain", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
# htmx attributes whose value is evaluated as JavaScript.
HTMX_EVAL_PREFIXES = ("hx-on", "data-hx-on")


class InlineCodeFinder(HTMLParser):
    """Collects every construct the policy `script-src 'self'; style-src 'self'` blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script_start: tuple[str, int] | None = None
        self._script_text: list[str] = []

    def _where(self) -> str:
        return f"line {self.getpos()[0]}"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event attribute ({self._where()})")
            elif name == "style":
                self.problems.append(f"<{tag} style=\"{value[:40]}\"> ({self._where()})")
            elif name.startswith(HTMX_EVAL_PREFIXES):
                self.problems.append(f"<{tag} {name}=…> evaluates code ({self._where()})")
            elif name in URL_ATTRIBUTES and value.lower().replace(" ", "").startswith(
                    "javascript:"):
                self.problems.append(f"<{tag} {name}=\"javascript:…\"> ({self._where()})")
            elif name == "hx-vals" and value.startswith(("js:", "javascript:")):
                self.problems.append(f"<{tag} hx-vals=\"js:…\"> evaluates code ({self._where()})")
        if tag == "style":
            self.problems.append(f"<style> block ({self._where()})")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower() and (
                attributes.get("href") or "").startswith("data:"):
            self.problems.append(f"<link rel=stylesheet href=data:…> ({self._where()})")
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").strip().lower()
            if kind not in DATA_SCRIPT_TYPES:
                self._script_start = (kind or "text/javascript", self.getpos()[0])
                self._script_text = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script_start = None

    def handle_data(self, data):
        if self._script_start is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_start is not None:
            kind, line = self._script_start
            text = "".join(self._script_text).strip()
            self.problems.append(f"inline <script> ({kind}, line {line}): {text[:60]!r}")
            self._script_start = None


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def policy_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response) -> list[str]:
    """The browser protections every response carries (docs/security.md)."""
    problems = []
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    directives = policy_directives(header)
    for name, expected in (("default-src", ["'self'"]), ("script-src", ["'self'"]),
                           ("style-src", ["'self'"]), ("frame-ancestors", ["'none'"]),
                           ("object-src", ["'none'"])):
        if directives.get(name) != expected:
            problems.append(f"CSP {name} is {directives.get(name)}, expected {expected}")
    unsafe = [s for values in directives.values() for s in values
              if s.startswith(("'unsafe-", "'nonce-", "'sha", "'strict-dynamic")) or s == "*"]
    if unsafe:
        problems.append(f"CSP allows {unsafe}")
    for name, expected in (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
                           ("Referrer-Policy", "same-origin")):
        if response.get(name) != expected:
            problems.append(f"{name} is {response.get(name)!r}, expected {expected!r}")
    return problems
