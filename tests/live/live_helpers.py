"""Helpers of the live-session tests: a small client, free ports, ``diag live`` as a process."""

from __future__ import annotations

import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
URL_PREFIX = "http://127.0.0.1:"


def write_client(folder: Path) -> Path:
    """Write a small 母婴 client (brief + 3 months of orders with a 社群 channel) into ``folder``; return the brief."""
    rng = random.Random(13)
    rows = ["订单号,买家ID,支付时间,实付金额,渠道"]
    n = 0
    for c in range(80):
        channel = ("社群", "小程序", "门店")[c % 3]
        for visit in range(1 + (c % 4 == 0) + (c % 7 == 0)):
            n += 1
            day = 1 + (c * 7 + visit * 23) % 88
            month, dom = 1 + (day - 1) // 30, 1 + (day - 1) % 28
            rows.append(f"T{n:04d},C{c:03d},2026-0{month}-{dom:02d} {10 + visit}:00,{rng.randint(60, 320)}.00,{channel}")
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "orders.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    brief = {"client": {"name": "测试母婴", "slug": "ceshi-muying", "industry": "母婴"},
             "assets": {"friends": 600, "group_members": 240, "groups": 2},
             "funnel": {"reachable": 3000, "invite_success": 0.1, "purchase_intent": 0.05},
             "data": {"orders": "data/orders.csv"}}
    path = folder / "ceshi-muying.yaml"
    path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    return path


def free_port() -> int:
    """Return a port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Return True when a new server could listen on ``port``."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def alive(pid: int) -> bool:
    """Return True while ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@dataclass
class Live:
    """One ``diag live`` process started by a test."""

    process: subprocess.Popen
    port: int
    url: str = ""
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    lines: "queue.Queue[str | None]" = field(default_factory=queue.Queue)
    readers: list[threading.Thread] = field(default_factory=list)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``sig`` and return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.wait(timeout)

    def wait(self, timeout: float = 30) -> int:
        """Return the exit status once the process ended and its output was read to the end."""
        code = self.process.wait(timeout)
        for reader in self.readers:
            reader.join(10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()
        while True:                                  # the last lines (e.g. the goodbye) into ``out``
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                break
            if line:
                self.out.append(line)
        return code

    def stderr(self) -> str:
        """Return what the process wrote to stderr so far."""
        return "".join(self.err)


def start_live(brief: Path, out: Path, port: int, *extra: str, timeout: float = 900) -> Live:
    """Start ``diag live`` and return once it printed its URL (or exited: then ``url`` is empty)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "diag", "live", str(brief), "--out", str(out),
                                "--port", str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT, env=env)
    live = Live(process, port)

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            live.lines.put(line)
        live.lines.put(None)

    def drain() -> None:
        for line in process.stderr:  # type: ignore[union-attr]
            live.err.append(line)

    live.readers = [threading.Thread(target=read, daemon=True), threading.Thread(target=drain, daemon=True)]
    for reader in live.readers:
        reader.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = live.lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        live.out.append(line)
        if URL_PREFIX in line:
            live.url = line[line.index(URL_PREFIX):].split()[0]
            return live
    return live
