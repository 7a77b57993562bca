"""A small OpenID Connect provider for the tests: a real HTTP server in a thread serving
discovery, authorize, token (with PKCE), userinfo, JWKS and end-session, signing id tokens with
a real RSA key (joserfc). `claims` is who logs in next; `tamper` changes the next id token
(wrong nonce, expiry, audience) and `sign_with_wrong_key` signs it with another key under the
same key id. `silent_error` is the provider's answer to a silent login (prompt=none, the
session check) once the person is no longer signed in there: "login_required" when they were
removed or signed out, "access_denied" when their account was disabled."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY_ID = "samverkan-test-key"


class Provider:
    client_id = "samverkan-test-client"
    client_secret = "test-secret-not-used-anywhere-else"

    def __init__(self):
        params = {"kid": KEY_ID, "use": "sig", "alg": "RS256"}
        self.key = RSAKey.generate_key(2048, parameters=params, private=True)
        self.wrong_key = RSAKey.generate_key(2048, parameters=params, private=True)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.reset()

    def reset(self):
        self.claims: dict = {"sub": "user-1"}
        self.userinfo_extra: dict = {}
        self.tamper: dict = {}
        self.sign_with_wrong_key = False
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.requests: list[str] = []
        self.ended_sessions: list[dict] = []
        self.silent_error: str | None = None
        self.prompts: list[str] = []

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, nonce: str, claims: dict) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                   "nonce": nonce, **claims, **self.tamper}
        key = self.wrong_key if self.sign_with_wrong_key else self.key
        return jwt.encode({"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}, payload, key)


def _b64url_sha256(value: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()).decode().rstrip("=")


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, url: str):
            self.send_response(302)
            self.send_header("Location", url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            provider.requests.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                return self._json(200, provider.discovery())
            if url.path == "/jwks":
                return self._json(200, {"keys": [provider.key.as_dict(private=False)]})
            if url.path == "/authorize":
                if query.get("client_id") != provider.client_id or \
                        query.get("response_type") != "code" or "openid" not in \
                        query.get("scope", "").split():
                    return self._json(400, {"error": "invalid_request"})
                sep = "&" if "?" in query["redirect_uri"] else "?"
                provider.prompts.append(query.get("prompt", ""))
                if query.get("prompt") == "none" and provider.silent_error:
                    return self._redirect(query["redirect_uri"] + sep + urlencode(
                        {"error": provider.silent_error, "state": query.get("state", "")}))
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {
                    "nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"],
                    "challenge": query.get("code_challenge"), "claims": dict(provider.claims)}
                return self._redirect(query["redirect_uri"] + sep + urlencode(
                    {"code": code, "state": query.get("state", "")}))
            if url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                grant = provider.tokens.get(token)
                if grant is None:
                    return self._json(401, {"error": "invalid_token"})
                claims = grant["claims"]
                info = {k: claims[k] for k in ("sub", "email", "name", "given_name",
                                               "family_name", "preferred_username")
                        if k in claims}
                return self._json(200, {**info, **provider.userinfo_extra})
            if url.path == "/logout":
                provider.ended_sessions.append(query)
                return self._redirect(query.get("post_logout_redirect_uri", "/"))
            return self._json(404, {"error": "not_found"})

        def do_POST(self):  # noqa: N802
            url = urlsplit(self.path)
            provider.requests.append(url.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if url.path != "/token":
                return self._json(404, {"error": "not_found"})
            if form.get("client_id") != provider.client_id or \
                    form.get("client_secret") != provider.client_secret:
                return self._json(401, {"error": "invalid_client"})
            grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
            if grant is None or form.get("grant_type") != "authorization_code" or \
                    form.get("redirect_uri") != grant["redirect_uri"]:
                return self._json(400, {"error": "invalid_grant"})
            if grant["challenge"] and _b64url_sha256(form.get("code_verifier", "")) != \
                    grant["challenge"]:
                return self._json(400, {"error": "invalid_grant",
                                        "error_description": "PKCE"})
            access_token = secrets.token_urlsafe(24)
            provider.tokens[access_token] = grant
            return self._json(200, {
                "access_token": access_token, "token_type": "Bearer", "expires_in": 3600,
                "id_token": provider.id_token(grant["nonce"], grant["claims"])})

    return Handler
