"""A local department-feeds server for the GUI benchmarks (stdlib ThreadingHTTPServer on
127.0.0.1): 100 JSON feeds, of which 30 answer slowly (2-5 s), 10 fail (HTTP 500), 10 send
malformed JSON and the rest answer at once. Runs in the benchmark driver's process, so its
threads never compete with the measured wall for the GIL."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Jakarta")
# metrics of the demo city that a one-OPD feed can carry, and the OPDs they are reported for
METRICS = ["serapan_keuangan", "realisasi_fisik", "deviasi_fisik_keuangan", "pad_capaian", "bor", "alos", "toi",
           "ektp_perekaman", "kia_cakupan", "akta_lahir_cakupan", "izin_tepat_waktu", "pengaduan_tepat_waktu",
           "pengaduan_masuk", "spm_capaian", "realisasi_belanja", "pagu_anggaran", "kunjungan_puskesmas",
           "pengaduan_terlambat", "jumlah_penduduk", "pad_realisasi"]
OPDS = ["bpkad", "rsud", "disdukcapil", "dpmptsp", "dinkes"]


def kind(i: int) -> str:
    """Feed i's behaviour, spread over the index range so each metric sees every kind."""
    r = i % 10
    if r in (0, 3, 7):
        return "slow"  # 30 of 100
    if r == 5:
        return "failing"  # 10
    if r == 9:
        return "malformed"  # 10
    return "normal"  # 50


def metric_opd(i: int) -> tuple[str, str]:
    return METRICS[i % len(METRICS)], OPDS[(i // len(METRICS)) % len(OPDS)]


def records(i: int, hit: int) -> list[dict]:
    """Month values of this year up to now; the current month's value moves on every request,
    so every good poll writes a new version and the wall has something to refresh."""
    now = datetime.now(TZ)
    _metric, opd = metric_opd(i)
    base = 40.0 + (i * 7) % 50
    out = [{"opd": opd, "ts": f"{now.year}-{m:02d}", "v": round(base + m * 1.5, 2)} for m in range(1, now.month)]
    out.append({"opd": opd, "ts": f"{now.year}-{now.month:02d}", "v": round(base + now.month * 1.5 + (hit % 97) / 10, 2)})
    return out


class FeedServer:
    def __init__(self, n: int = 100, slow_range: tuple[float, float] = (2.0, 5.0)):
        self.n, self.slow_range = n, slow_range
        self.hits = [0] * n
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="feeds")

    def start(self) -> "FeedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.port}/feed/{i}"

    def _handler(self):
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: 100 feeds polled every few seconds
                pass

            def do_GET(self):
                try:
                    i = int(self.path.rstrip("/").rsplit("/", 1)[1])
                except ValueError:
                    return self._send(404, b"{}")
                with srv._lock:
                    srv.hits[i] += 1
                    hit = srv.hits[i]
                k = kind(i)
                if k == "failing":
                    return self._send(500, b'{"error": "internal server error"}')
                if k == "malformed":
                    return self._send(200, b'{"data": [{"opd": "bpkad", "ts": "2025-0')
                if k == "slow":
                    lo, hi = srv.slow_range
                    time.sleep(lo + (hi - lo) * ((i * 37) % 100) / 100)
                self._send(200, json.dumps({"data": records(i, hit)}).encode())

            def _send(self, code: int, body: bytes):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        return Handler
