#!/usr/bin/env python3
"""Hostile clients for scripts/stress.sh, held open until killed (SIGTERM) or SECONDS pass.

  stress_attack.py URL idle N      N silent connections (no byte sent)
  stress_attack.py URL slow N      N clients sending a request header one byte a second
  stress_attack.py URL expensive N N clients in a loop of the costliest requests we accept

Connections come from source addresses 127.0.0.2, 127.0.0.3, ... (the loopback range), at
most 250 per address, so the server's per-address cap does not simply close them: the point is
to hold them all open beside the normal clients. Prints one line of figures when it stops.
"""
import http.client
import json
import resource
import signal
import socket
import sys
import threading
import time
import urllib.parse

PER_ADDRESS = 250
MAX_SECONDS = 600  # the script never outlives a stress run


def source(i):
    return "127.0.0.%d" % (2 + i // PER_ADDRESS)


def open_connections(host, port, n, address=None):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 1300)), hard))
    conns = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((address or source(i), 0))
        s.settimeout(5)
        try:
            s.connect((host, port))
        except OSError:
            s.close()
            continue
        s.setblocking(False)
        conns.append(s)
    return conns


def count_closed(conns):
    """Connections the server has closed (readable with EOF or reset)."""
    closed = 0
    for s in conns:
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def main():
    url, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    parsed = urllib.parse.urlparse(url)
    host, port = parsed.hostname, parsed.port
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    deadline = time.time() + MAX_SECONDS
    stats = {"mode": mode, "clients": n}

    if mode in ("idle", "slow"):
        conns = open_connections(host, port, n)
        stats["opened"] = len(conns)
        header = b"GET /search?q=jumelage HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
        sent = 0
        while not stop.is_set() and time.time() < deadline:
            # Slow clients send one byte a second; a connection the server closed (idle
            # timeout, 408, eviction) comes back at once, as an attacker's would.
            for k, s in enumerate(conns):
                try:
                    if mode == "slow":
                        s.send(header[sent % len(header):sent % len(header) + 1])
                    elif s.recv(1, socket.MSG_PEEK) == b"":
                        raise ConnectionResetError()
                except BlockingIOError:
                    pass
                except OSError:
                    s.close()
                    stats["reconnected"] = stats.get("reconnected", 0) + 1
                    fresh = open_connections(host, port, 1, source(k))
                    if fresh:
                        conns[k] = fresh[0]
            sent += 1
            stop.wait(1.0)
        stats["open_at_end"] = len(conns) - count_closed(conns)
        for s in conns:
            s.close()
    elif mode == "expensive":
        words = ("coopération décentralisée jumelage aide publique développement attractivité "
                 "territoire collectivités action internationale villes partenariat eau "
                 "assainissement santé éducation culture économie solidarité Sénégal Mali")
        question = " ".join([words] * 2)
        multi = json.dumps({"queries": [{"indexUid": "documents", "q": w, "limit": 1000,
                                         "offset": 999, "attributesToRetrieve": ["text"]}
                                        for w in words.split()[:20] * 5]})
        in_filter = json.dumps({"q": "", "filter": "country IN [" + ", ".join(["SN"] * 20000) + "]"})
        requests = [("GET", "/search?q=" + urllib.parse.quote(question) + "&size=100", None),
                    ("POST", "/multi-search", multi),
                    ("POST", "/indexes/documents/search", in_filter)]
        done = {"requests": 0, "statuses": {}}
        lock = threading.Lock()

        def client():
            k = 0
            while not stop.is_set() and time.time() < deadline:
                method, path, body = requests[k % len(requests)]
                k += 1
                try:
                    c = http.client.HTTPConnection(host, port, timeout=60,
                                                   source_address=(source(0), 0))
                    c.request(method, path, body=body,
                              headers={"Content-Type": "application/json"} if body else {})
                    status = c.getresponse().status
                    c.close()
                except OSError as e:
                    status = type(e).__name__
                with lock:
                    done["requests"] += 1
                    done["statuses"][str(status)] = done["statuses"].get(str(status), 0) + 1

        threads = [threading.Thread(target=client, daemon=True) for _ in range(n)]
        for t in threads:
            t.start()
        while not stop.is_set() and time.time() < deadline:
            stop.wait(0.5)
        stats.update(done)
    else:
        sys.exit("stress_attack: unknown mode " + mode)
    print("ATTACK " + json.dumps(stats, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
