#!/usr/bin/env python3
"""A fake of the WeCom, DingTalk (api.dingtalk.com and oapi.dingtalk.com) and
Feishu open APIs in one HTTP server, for tests. Python 3 standard library only.

    python3 tests/fake/fakeplatform.py [--port N]

Listens on 127.0.0.1 (port 0 = any free port), prints "PORT <n>" on stdout
when ready, and serves until SIGTERM/SIGINT, POST /_shutdown or, with
--exit-on-eof, end of stdin. Every request to a platform path is recorded;
answers are the platform's success reply unless a test scripted otherwise.
See tests/fake/README.md for the control protocol (/_requests, /_reset,
/_script, /_shutdown)."""
import argparse
import base64
import http.server
import json
import sys
import threading
import time
import urllib.parse

# Token endpoints: path -> builder of the success body for token number n.
TOKEN_ENDPOINTS = {
    "/cgi-bin/gettoken": lambda t: {"errcode": 0, "errmsg": "ok", "access_token": t,
                                    "expires_in": 7200},
    "/v1.0/oauth2/accessToken": lambda t: {"accessToken": t, "expireIn": 7200},
    "/gettoken": lambda t: {"errcode": 0, "errmsg": "ok", "access_token": t,
                            "expires_in": 7200},
    "/open-apis/auth/v3/tenant_access_token/internal": lambda t: {
        "code": 0, "msg": "ok", "tenant_access_token": t, "expire": 7200},
}

# Feishu's GET /open-apis/bot/v3/info: who the bot is (not a send).
FEISHU_BOT_OPEN_ID = "ou_bot"
FEISHU_BOT_INFO = {"code": 0, "msg": "ok", "bot": {
    "activate_status": 2, "app_name": "CQO", "avatar_url": "", "ip_white_list": [],
    "open_id": FEISHU_BOT_OPEN_ID}}

WECOM_OK = {"errcode": 0, "errmsg": "ok"}
DINGTALK_OAPI_OK = {"errcode": 0, "errmsg": "ok"}


# WeCom's answer to update_template_card with a response_code used before:
# the fake's choice (40058, WeCom's invalid parameter), WeCom documents none.
WECOM_CODE_USED = {"errcode": 40058, "errmsg": "invalid response_code, hint: used or expired"}


def json_or_none(body):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def send_default(path, n, body=b""):
    """The success body of a send endpoint (n counts sends), or None. Called
    with STATE.lock held."""
    if path == "/cgi-bin/message/send":
        reply = {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "msg-%d" % n}
        # A template card with buttons: the code that updates it once.
        sent = json_or_none(body)
        if isinstance(sent, dict) and sent.get("msgtype") == "template_card":
            reply["response_code"] = "rc-%d" % n
        return reply
    if path == "/cgi-bin/message/update_template_card":
        sent = json_or_none(body)
        code = sent.get("response_code") if isinstance(sent, dict) else None
        if not code or code in STATE.used_codes:
            return WECOM_CODE_USED
        STATE.used_codes.add(code)
        return {"errcode": 0, "errmsg": "ok", "invaliduser": []}
    if path in ("/cgi-bin/appchat/send", "/cgi-bin/webhook/send"):
        return WECOM_OK
    if path in ("/v1.0/robot/oToMessages/batchSend", "/v1.0/robot/groupMessages/send"):
        return {"processQueryKey": "pqk-%d" % n}
    if path in ("/robot/send", "/robot/sendBySession"):
        return DINGTALK_OAPI_OK
    if path == "/topapi/message/corpconversation/asyncsend_v2":
        return {"errcode": 0, "errmsg": "ok", "task_id": n, "request_id": "req-%d" % n}
    if path == "/open-apis/im/v1/messages" or (
            path.startswith("/open-apis/im/v1/messages/") and path.endswith("/reply")):
        return {"code": 0, "msg": "success", "data": {"message_id": "om_%d" % n}}
    # PATCH im/v1/messages/<id>: a sent card shown anew.
    if path.startswith("/open-apis/im/v1/messages/") and path.count("/") == 5:
        return {"code": 0, "msg": "success", "data": {}}
    # File uploads (multipart; the body is recorded like any other, in
    # body_b64 as it is binary): WeCom media/upload, DingTalk's oapi
    # media/upload, Feishu im/v1/files.
    if path == "/cgi-bin/media/upload":
        return {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": "media-%d" % n,
                "created_at": str(int(time.time()))}
    if path == "/media/upload":
        return {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": "@media-%d" % n,
                "created_at": int(time.time() * 1000)}
    if path == "/open-apis/im/v1/files":
        return {"code": 0, "msg": "success", "data": {"file_key": "file_v2_%d" % n}}
    # DingTalk's interactive cards: created and delivered (the answer names
    # the card's outTrackId: _default puts the request's in), or shown anew.
    if path == "/v1.0/card/instances/createAndDeliver":
        return {"success": True, "result": {"outTrackId": "", "deliverResults": [
            {"spaceType": "IM", "spaceId": "space-%d" % n, "success": True, "errorMsg": "",
             "carrierId": "carrier-%d" % n}]}}
    if path == "/v1.0/card/instances":
        return {"success": True, "result": True}
    if path.startswith("/open-apis/bot/v2/hook/"):
        return {"code": 0, "msg": "success", "data": {}, "StatusCode": 0,
                "StatusMessage": "success"}
    return None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests = []
        self.scripts = {}       # path_prefix -> list of responses
        self.token_counts = {}  # token path -> tokens issued
        self.sends = 0
        self.used_codes = set()  # WeCom response_codes spent by update_template_card

    def scripted(self, path):
        """Pops the next scripted answer of the longest matching prefix."""
        best = None
        for prefix, queue in self.scripts.items():
            if queue and path.startswith(prefix) and (best is None or len(prefix) > len(best)):
                best = prefix
        return self.scripts[best].pop(0) if best is not None else None


STATE = State()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeplatform/1"
    # Whole answers in one write: a head and a body written apart meet
    # Nagle and delayed ACKs (40 ms a request).
    wbufsize = 1 << 16

    def log_message(self, fmt, *args):
        pass

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _answer(self, status, body, headers=None):
        if isinstance(body, (dict, list)):
            data = json.dumps(body, ensure_ascii=False).encode()
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body or b""
        self.send_response(status)
        hdrs = {"Content-Type": "application/json; charset=utf-8"}
        hdrs.update(headers or {})
        for k, v in hdrs.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _control(self, method, path, query, body):
        if method == "GET" and path == "/_requests":
            prefix = query.get("path_prefix", [""])[0]
            with STATE.lock:
                reqs = [r for r in STATE.requests if r["path"].startswith(prefix)]
            return self._answer(200, {"requests": reqs})
        if method == "POST" and path == "/_reset":
            with STATE.lock:
                STATE.reset()
            return self._answer(200, {"ok": True})
        if method == "POST" and path == "/_script":
            try:
                spec = json.loads(body)
                prefix = spec["path_prefix"]
                responses = spec["responses"]
                assert isinstance(prefix, str) and isinstance(responses, list)
            except (ValueError, KeyError, TypeError, AssertionError):
                return self._answer(400, {"error": "expected {path_prefix, responses}"})
            with STATE.lock:
                STATE.scripts.setdefault(prefix, []).extend(responses)
            return self._answer(200, {"ok": True})
        if method == "POST" and path == "/_shutdown":
            self._answer(200, {"ok": True})
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return None
        return self._answer(404, {"error": "unknown control path"})

    def _platform(self, method, path, query, raw_query, body):
        received = time.time()
        with STATE.lock:
            script = STATE.scripted(path)
            if script is not None and "body" in script:
                status = script.get("status", 200)
                reply = script["body"]
                headers = script.get("headers", {})
            else:
                status, reply, headers = self._default(path, body)
                if path == "/v1.0/card/instances/createAndDeliver":
                    try:
                        reply["result"]["outTrackId"] = json.loads(body)["outTrackId"]
                    except (ValueError, KeyError, TypeError):
                        pass
                if script is not None:
                    status = script.get("status", status)
                    headers = script.get("headers", headers)
            try:
                text, b64 = body.decode("utf-8"), None
            except UnicodeDecodeError:
                text, b64 = None, base64.b64encode(body).decode()
            STATE.requests.append({
                "method": method, "path": path, "query": {k: v[0] for k, v in query.items()},
                "raw_query": raw_query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": text, "body_b64": b64, "time": received, "status": status,
            })
        delay = script.get("delay_ms", 0) if script else 0
        if delay:
            time.sleep(delay / 1000.0)
        self._answer(status, reply, headers)

    def _default(self, path, body):
        """The endpoint's own answer; called with STATE.lock held."""
        if path in TOKEN_ENDPOINTS:
            n = STATE.token_counts.get(path, 0) + 1
            STATE.token_counts[path] = n
            return 200, TOKEN_ENDPOINTS[path]("tok-%d" % n), {}
        if path == "/open-apis/bot/v3/info":
            return 200, FEISHU_BOT_INFO, {}
        STATE.sends += 1
        reply = send_default(path, STATE.sends, body)
        if reply is None:
            return 404, {"error": "no such endpoint in fakeplatform"}, {}
        return 200, reply, {}

    def _handle(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self._body()
        if url.path.startswith("/_"):
            self._control(self.command, url.path, query, body)
        else:
            self._platform(self.command, url.path, query, url.query, body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a timeout or cancellation under test) is
        # expected; anything else is printed as usual.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--exit-on-eof", action="store_true",
                    help="stop when stdin reaches end of file (the parent went away)")
    opts = ap.parse_args()
    srv = Server(("127.0.0.1", opts.port), Handler)
    if opts.exit_on_eof:
        def watch():
            sys.stdin.buffer.read()
            srv.shutdown()
        threading.Thread(target=watch, daemon=True).start()
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    srv.server_close()


if __name__ == "__main__":
    main()
