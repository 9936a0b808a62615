"""A Redis server of a test's (or a bench's) own, on a free port, that it may stop and start again as a
crash or an operator's restart would. Nothing is saved: a restarted server has lost every message it held."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.ports import free_port


class NoRedis(RuntimeError):
    """This machine has no redis-server (or redis-cli) to start."""


class RedisServer:
    def __init__(self):
        if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
            raise NoRedis("no redis-server to start a Redis of one's own")
        self.root = Path(tempfile.mkdtemp(prefix="seedtrace-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "yes",
                        "--save", "", "--appendonly", "no", "--dir", str(self.root),
                        "--logfile", str(self.root / "redis.log")], check=True, capture_output=True)
        deadline = time.monotonic() + 10
        while not self._answers():
            if time.monotonic() > deadline:
                raise AssertionError(f"Redis on port {self.port} did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        while self._answers():
            time.sleep(0.05)

    def restart(self, down: float) -> None:
        """Stop the server, leave it down `down` seconds, start it again (empty)."""
        self.stop()
        time.sleep(down)
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _answers(self) -> bool:
        done = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return done.stdout.strip() == "PONG"
