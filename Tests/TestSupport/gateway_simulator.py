#!/usr/bin/env python3
"""A card gateway simulator for the ledger's tests (docs/gateway.md), run as a real process.

Two HTTP servers on 127.0.0.1:
  gateway  GET /settlements/{settlementNo}  answers as told for that settlement number;
           unknown numbers get HTTP 404.
  control  PUT    /settlements/{settlementNo}  body: the behaviour (JSON, below)
           DELETE /settlements/{settlementNo}  forget it (404 again)
           GET    /requests                    ["settlementNo", ...] every gateway request so far
           POST   /gateway/close               stop listening: connections are refused
           POST   /gateway/open                listen again on the same port
A behaviour is {"status": "captured", "amountYen": N, "transactionId": "..."} or
{"status": "notCaptured"} (sent as the body with HTTP 200), or {"httpStatus": 503} or
{"rawBody": "not json"} (sent as is); any of them may add "delaySeconds": S (the answer waits).

The chosen ports are written, once both servers listen, as {"gateway": P, "control": Q} to the
file named by --ports-file. The simulator exits when its parent process does.
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

behaviours = {}
requests = []
lock = threading.Lock()


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def reply(self, status, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def settlement(self):
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) == 2 and parts[0] == "settlements" and parts[1]:
            return parts[1]
        return None


class Gateway(Quiet):
    def do_GET(self):
        number = self.settlement()
        if number is None:
            return self.reply(404, '{"error":"no such path"}')
        with lock:
            requests.append(number)
            behaviour = behaviours.get(number)
        if behaviour is None:
            return self.reply(404, '{"error":"unknown settlement"}')
        delay = float(behaviour.get("delaySeconds", 0))
        if delay > 0:
            time.sleep(delay)
        if "rawBody" in behaviour:
            return self.reply(int(behaviour.get("httpStatus", 200)), behaviour["rawBody"])
        if "httpStatus" in behaviour:
            return self.reply(int(behaviour["httpStatus"]), '{"error":"simulated"}')
        answer = {k: v for k, v in behaviour.items() if k != "delaySeconds"}
        return self.reply(200, json.dumps(answer))


class Control(Quiet):
    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length > 0 else b""

    def do_PUT(self):
        number = self.settlement()
        if number is None:
            return self.reply(404, '{"error":"no such path"}')
        try:
            behaviour = json.loads(self.body())
        except ValueError:
            return self.reply(400, '{"error":"not json"}')
        with lock:
            behaviours[number] = behaviour
        self.reply(200, "{}")

    def do_DELETE(self):
        number = self.settlement()
        with lock:
            behaviours.pop(number, None)
        self.reply(200, "{}")

    def do_GET(self):
        if self.path == "/requests":
            with lock:
                return self.reply(200, json.dumps(requests))
        self.reply(404, '{"error":"no such path"}')

    def do_POST(self):
        self.body()
        if self.path == "/gateway/close":
            gateway.close()
            return self.reply(200, "{}")
        if self.path == "/gateway/open":
            gateway.open()
            return self.reply(200, "{}")
        self.reply(404, '{"error":"no such path"}')


class Listener:
    """The gateway server, which can stop listening and listen again on the same port."""

    def __init__(self, port):
        self.port = port
        self.server = None
        self.open()

    def open(self):
        if self.server is not None:
            return
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Gateway)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None


def watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


if __name__ == "__main__":
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--ports-file", required=True)
    options = arguments.parse_args()
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    gateway = Listener(0)
    control = ThreadingHTTPServer(("127.0.0.1", 0), Control)
    control.daemon_threads = True
    temporary = options.ports_file + ".tmp"
    with open(temporary, "w") as file:
        json.dump({"gateway": gateway.port, "control": control.server_address[1]}, file)
    os.rename(temporary, options.ports_file)
    sys.stdout.flush()
    control.serve_forever()
