"""srr and huggingface_hub on one cache, against FakeHub on loopback (driven by scripts/check-hub-interop).

Each check prints "ok: ..." or "FAIL: ..."; the exit status is the number of failures (0 = all passed).
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "src/test/resources/golden/models/qwen3-tiny-bf16/model"
GGUF = ROOT / "src/test/resources/gguf/tiny-qwen3-tiny-bf16.gguf"
TOKEN = "hf_interop_token"

failures = 0
passed = 0


def check(ok, what):
    global failures, passed
    if ok:
        passed += 1
        print(f"ok: {what}", flush=True)
    else:
        failures += 1
        print(f"FAIL: {what}", flush=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Hub:
    """FakeHubMain as a subprocess; its request log is read back from a file."""

    def __init__(self, java, classpath, work):
        self.log = work / "requests.log"
        ready = work / "ready"
        gguf_repo = work / "gguf-repo"
        gguf_repo.mkdir()
        shutil.copy(GGUF, gguf_repo / "tiny-BF16.gguf")
        (gguf_repo / "README.md").write_text("# tiny GGUF\n")
        self.proc = subprocess.Popen(
            [java, "-cp", classpath, "dev.srr.hub.FakeHubMain", "--repo", f"org/tiny={TINY}",
             "--repo", f"org/tiny-GGUF={gguf_repo}", "--repo", f"org/gated={TINY}", "--gated", "org/gated",
             "--token", TOKEN, "--ready", str(ready), "--log", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            if ready.exists():
                break
            time.sleep(0.1)
        self.endpoint = ready.read_text().strip()

    def mark(self):
        time.sleep(0.3)  # the server writes its log every 100 ms
        return len(self.lines())

    def lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def since(self, mark):
        time.sleep(0.3)
        return self.lines()[mark:]

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--classpath", required=True)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="srr-hub-interop."))
    hub = Hub(args.java, args.classpath, work)
    try:
        run_checks(args, work, hub)
    finally:
        hub.close()
        shutil.rmtree(work, ignore_errors=True)
    import huggingface_hub
    print(f"hub interop: {passed} passed, {failures} failed (huggingface_hub {huggingface_hub.__version__}, "
          f"{sys.executable})")
    return failures


def run_checks(args, work, hub):
    os.environ.update({"HF_ENDPOINT": hub.endpoint, "HF_HOME": str(work / "home"), "HF_HUB_DISABLE_TELEMETRY": "1",
                       "HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_DISABLE_XET": "1"})
    for k in ("HF_TOKEN", "HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_OFFLINE"):
        os.environ.pop(k, None)
    # huggingface_hub reads its environment when imported
    import huggingface_hub as hf
    from huggingface_hub import (HfApi, hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache,
                                 _CACHED_NO_EXIST)
    from huggingface_hub.utils import WeakFileLock

    def srr(*argv, cache, offline=False, token=None, check_rc=True):
        env = dict(os.environ, HF_HUB_CACHE=str(cache))
        if offline:
            env["HF_HUB_OFFLINE"] = "1"
        if token:
            env["HF_TOKEN"] = token
        r = subprocess.run([args.java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                            "-cp", args.classpath, "dev.srr.cli.Main", *argv], env=env, capture_output=True, text=True)
        if check_rc and r.returncode != 0:
            print(r.stdout, r.stderr, file=sys.stderr)
        return r

    # ---- A: srr writes, huggingface_hub reads
    a = work / "cache-srr"
    r1 = srr("pull", "org/tiny", "--json", "--quiet", cache=a)
    r2 = srr("pull", "org/tiny-GGUF:BF16", "--json", "--quiet", cache=a)
    r3 = srr("pull", "org/gated", "--json", "--quiet", cache=a, token=TOKEN)
    check(r1.returncode == 0 and r2.returncode == 0 and r3.returncode == 0, "srr pulls three repositories into one cache")
    tiny = json.loads(r1.stdout)
    snapshot = Path(tiny["snapshot"])

    info = scan_cache_dir(a)
    repos = {r.repo_id: r for r in info.repos}
    check(not info.warnings, f"scan_cache_dir reports no corruption ({[str(w) for w in info.warnings]})")
    check(set(repos) == {"org/tiny", "org/tiny-GGUF", "org/gated"}, f"scan_cache_dir lists srr's repositories: {sorted(repos)}")
    rev = next(iter(repos["org/tiny"].revisions))
    check(rev.commit_hash == tiny["commit"] and set(rev.refs) == {"main"},
          f"scan_cache_dir sees commit {rev.commit_hash[:10]} with refs {sorted(rev.refs)}")
    check(sorted(f.file_name for f in rev.files) == sorted(f["path"] for f in tiny["files"]),
          f"scan_cache_dir sees the files: {sorted(f.file_name for f in rev.files)}")
    check(rev.size_on_disk == sum(f["size"] for f in tiny["files"]), f"scan_cache_dir size_on_disk {rev.size_on_disk}")

    same = True
    for f in tiny["files"]:
        p = hf_hub_download("org/tiny", f["path"], cache_dir=a, local_files_only=True)
        same &= Path(p) == snapshot / f["path"] and sha256(p) == sha256(TINY / f["path"])
    check(same, "hf_hub_download(local_files_only=True) returns srr's files, bytes identical to the source")
    check(snapshot_download("org/tiny", cache_dir=a, local_files_only=True) == str(snapshot),
          "snapshot_download(local_files_only=True) returns srr's snapshot folder")
    check(try_to_load_from_cache("org/tiny", "tokenizer.json", cache_dir=a) is _CACHED_NO_EXIST,
          "try_to_load_from_cache reads srr's .no_exist marker for tokenizer.json")
    gguf = json.loads(r2.stdout)["path"]
    check(hf_hub_download("org/tiny-GGUF", "tiny-BF16.gguf", cache_dir=a, local_files_only=True) == gguf,
          "hf_hub_download finds the GGUF file srr pulled")
    v = HfApi().verify_repo_checksums("org/tiny", cache_dir=a)
    check(v.checked_count == 3 and not v.mismatches and not v.missing_paths,
          f"verify_repo_checksums: {v.checked_count} files checked, mismatches {v.mismatches}, missing {v.missing_paths}")

    mark = hub.mark()
    for f in tiny["files"]:
        hf_hub_download("org/tiny", f["path"], cache_dir=a)
    snapshot_download("org/tiny", cache_dir=a, allow_patterns=["*.json", "*.safetensors"])
    fetched = [l for l in hub.since(mark) if l.startswith("cdn ") or l.startswith("hub GET /org/")]
    check(not fetched, f"online, huggingface_hub downloads nothing srr already has (file transfers: {fetched})")

    # ---- B: huggingface_hub writes, srr reads
    b = work / "cache-python"
    py_snapshot = snapshot_download("org/tiny", cache_dir=b)
    hf_hub_download("org/tiny-GGUF", "tiny-BF16.gguf", cache_dir=b)
    off = srr("pull", "org/tiny", "--json", cache=b, offline=True)
    check(off.returncode == 0 and json.loads(off.stdout)["snapshot"] == py_snapshot and json.loads(off.stdout)["offline"],
          "offline, srr pull finds the snapshot huggingface_hub wrote")
    inf = srr("info", "org/tiny", "--json", cache=b, offline=True)
    check(inf.returncode == 0 and json.loads(inf.stdout)["family"] == "qwen3",
          "offline, srr info org/tiny loads the checkpoint from huggingface_hub's cache")
    inf = srr("info", "org/tiny-GGUF:BF16", "--json", cache=b, offline=True)
    check(inf.returncode == 0 and json.loads(inf.stdout)["path"].endswith("tiny-BF16.gguf"),
          "offline, srr info org/tiny-GGUF:BF16 opens the GGUF file huggingface_hub downloaded")
    mark = hub.mark()
    on = srr("pull", "org/tiny", "--json", cache=b)
    summary = json.loads(on.stdout) if on.returncode == 0 else {}
    transfers = [l for l in hub.since(mark) if not l.startswith("hub GET /api/")]
    check(summary.get("downloaded_bytes") == 0 and not transfers,
          f"online, srr downloads nothing huggingface_hub already has (requests besides the listing: {transfers})")

    # ---- C: a lock huggingface_hub holds makes srr wait
    c = work / "cache-lock"
    sha = sha256(TINY / "model.safetensors")
    lock_path = c / ".locks" / "models--org--tiny" / f"{sha}.lock"
    lock_path.parent.mkdir(parents=True)
    result = {}
    with WeakFileLock(lock_path):
        t = threading.Thread(target=lambda: result.setdefault("r", srr("pull", "org/tiny", cache=c)))
        t.start()
        time.sleep(4)
        blob = c / "models--org--tiny" / "blobs" / sha
        check(t.is_alive() and not blob.exists(), "srr waits while huggingface_hub holds the blob's lock")
    t.join(60)
    r = result.get("r")
    check(r is not None and r.returncode == 0 and "another download of this file is under way" in r.stderr
          and sha256(blob) == sha, "then srr downloads the blob, once the lock is released")


if __name__ == "__main__":
    sys.exit(main())
