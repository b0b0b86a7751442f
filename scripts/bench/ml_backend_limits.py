"""Benchmark: ``serve-model`` under abuse within its limits. While one client streams a
200 MB body without a length and another sends a 30 MB claim, a third keeps asking for a
1-task ``/predict``; prints those answers' times and how much the service's memory grew.

    .venv/bin/python scripts/bench/ml_backend_limits.py MODEL_DIR [--seconds 20]

The service is a real ``stancebank serve-model`` process on a free port; memory is its
resident set size, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time

import httpx
import psutil

from stancebank.labeling.net import free_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "STANCEBANK_BACKEND_SECRET"}
    server = subprocess.Popen([sys.executable, "-m", "stancebank.cli", "serve-model",
                               args.model, "--port", str(port), "-q"], env=env)  # fmt: skip
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        one = {"tasks": [{"data": {"claim": "Cameras on the platform stopped the thefts."}}]}
        httpx.post(f"{url}/predict", json=one, timeout=60)  # warm up
        process = psutil.Process(server.pid)
        baseline = process.memory_info().rss
        peak = [baseline]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], process.memory_info().rss)
                time.sleep(0.05)

        def flood() -> None:
            def chunks():
                for _ in range(200):
                    yield b" " * 1_000_000

            try:
                status = httpx.post(f"{url}/predict", content=chunks(), timeout=300).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            print(f"200 MB streamed body: {status}", flush=True)

        def huge_claim() -> None:
            body = {"tasks": [{"data": {"claim": "Cameras keep us safe. " * 1_400_000}}]}
            started = time.perf_counter()
            status = httpx.post(f"{url}/predict", json=body, timeout=300).status_code
            print(f"30 MB claim: {status} in {time.perf_counter() - started:.2f} s", flush=True)

        threads = [threading.Thread(target=f) for f in (sample, flood, huge_claim)]
        for thread in threads:
            thread.start()
        times = []
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            answer = httpx.post(f"{url}/predict", json=one, timeout=60)
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
        done.set()
        for thread in threads:
            thread.join()
        times.sort()
        print(f"1-task /predict during the load: {len(times)} answers, median "
              f"{times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s")  # fmt: skip
        print(f"RSS: {baseline / 2**20:.0f} MiB before, peak {peak[0] / 2**20:.0f} MiB "
              f"(+{(peak[0] - baseline) / 2**20:.0f} MiB)")  # fmt: skip
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
