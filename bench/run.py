"""Benchmark deckgen against the floor: `python bench/run.py [--runs N] [--only NAME ...]`.

Every measurement runs real commands in fresh processes (as a user does), several times, and
reports the median wall time, its ratio to the floor (importing python-pptx and PyYAML and
saving an empty deck: what any .pptx tool must pay), and the peak memory of the process.
Targets are the ones the project holds (see bench/RESULTS.md); ratios travel between machines
better than seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/records.py
PY = sys.executable
DECKGEN = [PY, "-m", "deckgen"]

# A wrapper that runs a command and prints its wall time and peak memory (max RSS, KiB).
_MEASURE = r"""
import resource, subprocess, sys, time, json
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
if code.returncode:
    sys.stderr.write(code.stderr.decode()); sys.exit(code.returncode)
print(json.dumps({"wall": wall, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

# Like _MEASURE, for commands that are meant to fail: only the peak memory.
_RSS = r"""
import resource, subprocess, sys, json
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps({"rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "code": code.returncode}))
"""

FLOOR = ("import pptx, yaml, io; p = pptx.Presentation(); "
         "p.slides.add_slide(p.slide_layouts[6]); p.save(io.BytesIO())")


def measure(cmd: list[str], cwd: Path, runs: int, before=None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    walls, rss = [], 0
    for _ in range(runs):
        if before:
            before()
        out = subprocess.run([PY, "-c", _MEASURE, *cmd], cwd=cwd, capture_output=True,
                             text=True)
        if out.returncode:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr}")
        data = json.loads(out.stdout)
        walls.append(data["wall"])
        rss = max(rss, data["rss_kib"])
    return {"median": statistics.median(walls), "min": min(walls), "rss_mb": rss / 1024}


def compile_deckgen() -> bool:
    """Compile deckgen's modules to bytecode, as pip does when it installs a package.

    python-pptx, PyYAML and the other libraries were compiled when pip installed them. An
    editable install of deckgen (`pip install -e .`) is not, and where PYTHONDONTWRITEBYTECODE
    is set (as on the development machine) Python then compiles deckgen's modules from source
    on every run, about 20 ms that no installed tool pays. Returns whether that variable is set.
    """
    import compileall

    import deckgen

    compileall.compile_dir(Path(deckgen.__file__).parent, quiet=1)
    return bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))


def workspace() -> Path:
    """A private copy of the sample deck, so edits and caches never touch the repository (nor
    the user's own cache: the builds, which inherit this environment, keep theirs in it)."""
    tmp = Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    os.environ["DECKGEN_CACHE_DIR"] = str(tmp / "cache")
    for name in ("deck.yaml",):
        shutil.copy(ROOT / name, tmp / name)
    for folder in ("data", "assets"):
        shutil.copytree(ROOT / folder, tmp / folder)
    return tmp


def clear_cache(ws: Path) -> None:
    shutil.rmtree(ws / "cache", ignore_errors=True)


def synthetic(ws: Path, slides: int = 300, charts: int = 40) -> Path:
    """A large outline: text slides, tables and charts over the sample's data."""
    import yaml

    base = yaml.safe_load((ws / "deck.yaml").read_text(encoding="utf-8"))
    out = []
    districts = [ln.split(",")[0] for ln in
                 (ws / "data" / "asb_mar_apr_2015_2016.csv").read_text().splitlines()[1:-1]]
    for i in range(slides):
        if i < charts:
            d = districts[i % len(districts)]
            out.append({"kind": "chart", "title": f"Crime mix {i}: {d}", "chart": "hbar",
                        "data": "crime", "x": "offence_group", "y": "offences",
                        "percent": True, "where": {"district": d}})
        elif i % 10 == 0:
            out.append({"kind": "table", "title": f"ASB table {i}", "data": "asb",
                        "columns": [{"column": "district"}, {"column": "mar_apr_2016"},
                                    {"column": "pct_change", "format": ".1f"}]})
        else:
            out.append({"kind": "bullets", "title": f"Point {i}",
                        "points": [f"Point {i} with **bold** text", {"Sub": ["a", "b"]}]})
    base["slides"] = out
    base["output"] = "output/big.pptx"
    path = ws / f"big-{slides}-{charts}.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def long_deck(ws: Path, slides: int) -> Path:
    """An outline of `slides` bullet slides, each with speaker notes: how a deck's time grows
    with its length (each slide adds a slide part and a notes part to the package)."""
    text = "title: Long\nslides:\n" + "".join(
        f"  - kind: bullets\n    title: Point {i}\n    points: [First point {i}, Second]\n"
        f"    notes: Say {i}\n" for i in range(slides))
    path = ws / f"long-{slides}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def after_edits(path: Path, old: str, new, build: list[str], ws: Path,  # type: ignore[no-untyped-def]
                runs: int) -> dict[str, float]:
    """Rebuild times when `old` in `path` is replaced by new(n) before run n (warm cache)."""
    original = path.read_text(encoding="utf-8")
    counter = iter(range(10_000))
    subprocess.run(build, cwd=ws, check=True)
    try:
        return measure(build, ws, runs, before=lambda: path.write_text(
            original.replace(old, new(next(counter))), encoding="utf-8"))
    finally:
        path.write_text(original, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--only", nargs="*", default=None,
                        help="floor cold warm edit data batch big length safety records live map "
                             "national "
                             "(default: all but national, which writes a 1.3 GB file)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    want = set(args.only or ["floor", "cold", "warm", "edit", "data", "batch", "big", "length",
                             "safety", "records", "live", "map"])
    want.add("floor")
    compiled = compile_deckgen()
    ws = workspace()
    results: dict[str, dict[str, float]] = {}
    runs = args.runs
    build = [*DECKGEN, "build", "deck.yaml", "-o", "out.pptx", "-q"]
    print(f"deckgen benchmark: {platform.node()} ({os.cpu_count()} cores), Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}; median of {runs} runs")
    print("deckgen's modules compiled to bytecode first, as pip does on install"
          + (" (PYTHONDONTWRITEBYTECODE is set here)" if compiled else "") + "\n")

    results["floor"] = measure([PY, "-c", FLOOR], ws, runs)
    if "cold" in want:
        results["cold"] = measure(build, ws, runs, before=lambda: clear_cache(ws))
    if "warm" in want:
        subprocess.run(build, cwd=ws, check=True)
        results["warm"] = measure(build, ws, runs)
    if "edit" in want:  # a different bullet text before every run
        results["edit"] = after_edits(ws / "deck.yaml", "Hate Crime",
                                      lambda n: f"Hate Crime {n}", build, ws, runs)
    if "data" in want:  # a different number in the CSV before every run
        results["data"] = after_edits(ws / "data" / "asb_mar_apr_2015_2016.csv", "Maldon,1160",
                                      lambda n: f"Maldon,{1161 + n}", build, ws, runs)
    if "batch" in want:
        batch = [*DECKGEN, "build", "deck.yaml", "--each", "district", "-o", "all", "-q"]
        results["batch"] = measure(batch, ws, max(1, runs // 2),
                                   before=lambda: clear_cache(ws))
        script = ("import subprocess, sys\n"
                  "for d in sys.argv[1:]:\n"
                  "    subprocess.run([sys.executable, '-m', 'deckgen', 'build', 'deck.yaml', "
                  "'--set', f'district={d}', '-o', f'seq/{d}.pptx', '-q'], "
                  "check=True)\n")
        districts = [ln.split(",")[0] for ln in
                     (ws / "data" / "asb_mar_apr_2015_2016.csv").read_text().splitlines()[1:-1]]
        results["sequential"] = measure([PY, "-c", script, *districts], ws, 1,
                                        before=lambda: clear_cache(ws))
    if "big" in want:
        big = synthetic(ws)
        results["big"] = measure([*DECKGEN, "build", str(big), "-o", "big.pptx", "-q"], ws,
                                 max(1, runs // 2), before=lambda: clear_cache(ws))
        text_only = synthetic(ws, slides=300, charts=0)
        results["big_text"] = measure([*DECKGEN, "build", str(text_only), "-o", "t.pptx", "-q"],
                                      ws, max(1, runs // 2), before=lambda: clear_cache(ws))
        small_text = synthetic(ws, slides=100, charts=0)
        results["big_text_100"] = measure([*DECKGEN, "build", str(small_text), "-o", "s.pptx",
                                           "-q"], ws, max(1, runs // 2),
                                          before=lambda: clear_cache(ws))
    if "length" in want:  # 250, 500 and 1,000 slides (the most an outline may have)
        for n in (250, 500, 1000):
            deck = long_deck(ws, n)
            results[f"length_{n}"] = measure([*DECKGEN, "build", str(deck), "-o", f"l{n}.pptx",
                                              "-q", "--no-cache"], ws, max(1, runs // 2))
    if "safety" in want:
        laughs = ["a: &a [" + ",".join(['"lol"'] * 10) + "]"]
        for i in range(1, 10):
            prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
            laughs.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(10)) + "]")
        (ws / "laughs.yaml").write_text("\n".join(laughs) + "\nslides: []\n")
        (ws / "tag.yaml").write_text("title: !!python/object/apply:os.system ['touch pwned']\n")
        # a 50 MB CSV of 1.6 million rows: refused at its 200,001st row, while reading
        with open(ws / "huge.csv", "w") as handle:
            handle.write("district,incidents\n")
            for i in range(1_632_000):
                handle.write(f"District number {i},{i}\n")
        (ws / "bigcsv.yaml").write_text(
            "title: Big\ndata:\n  asb: {file: huge.csv}\nslides:\n  - kind: table\n"
            "    title: T\n    data: asb\n    columns: [{column: district}]\n")
        (ws / "expr.yaml").write_text(
            "title: E\ndata:\n  asb:\n    file: data/asb_mar_apr_2015_2016.csv\n    derive:\n"
            "      x: \"@pd.io.common.os.system('touch pwned')\"\n"
            "slides:\n  - {kind: section, title: S}\n")
        long_deck(ws, 4000).rename(ws / "slides.yaml")  # refused at its 1,001st slide
        for name in ("laughs", "tag", "bigcsv", "expr", "slides"):
            # the check fails (exit 1), as it must
            start = time.perf_counter()
            proc = subprocess.run([PY, "-c", _RSS, *DECKGEN, "check", f"{name}.yaml"], cwd=ws,
                                  capture_output=True, text=True)
            wall = time.perf_counter() - start
            measured = json.loads(proc.stdout)
            rss = measured["rss_kib"] / 1024
            assert measured["code"] == 1 and not (ws / "pwned").exists()
            results[f"safety_{name}"] = {"median": wall, "min": wall, "rss_mb": rss}
    if "records" in want:
        import records as workloads

        raw, pre = workloads.pack_workspaces(ws)
        build_pre = [*DECKGEN, "build", str(pre), "-o", "pre.pptx", "-q", "--no-cache"]
        build_raw = [*DECKGEN, "build", str(raw), "-o", "raw.pptx", "-q", "--no-cache"]
        results["pack_pre"] = measure(build_pre, ws, runs)
        results["pack_raw"] = measure(build_raw, ws, runs)
        warm = [*DECKGEN, "build", str(raw), "-o", "raw-warm.pptx", "-q"]
        subprocess.run(warm, cwd=ws, check=True)  # the parse cache filled

        def forget_but_the_data() -> None:
            for name in ("charts", "decks"):
                shutil.rmtree(ws / "cache" / name, ignore_errors=True)

        results["pack_raw_warm"] = measure(warm, ws, runs, before=forget_but_the_data)
        batch = [*DECKGEN, "build", str(raw), "--each", "district", "-o", "packs", "-q",
                 "--no-cache"]
        results["pack_batch"] = measure(batch, ws, 1)
    if "live" in want:  # in one warm process, beside pandoc (bench/live.py)
        live = subprocess.run([PY, str(Path(__file__).with_name("live.py")), str(ws),
                               str(max(runs, 5))], check=True, capture_output=True, text=True)
        results.update(json.loads(live.stdout))
    if "map" in want:  # every Essex LSOA drawn (bench/maps.py), in one process
        out = subprocess.run([PY, str(Path(__file__).with_name("maps.py"))], cwd=ws,
                             capture_output=True, text=True, check=True)
        results["map"] = json.loads(out.stdout)
    if "national" in want:
        import records as workloads

        print("writing a national year of records (1.3 GB)...", flush=True)
        deck = workloads.national(ws)
        results["national"] = measure([*DECKGEN, "check", str(deck), "--no-cache"], ws, 1)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(ws, ignore_errors=True)


def report(r: dict[str, dict[str, float]]) -> None:
    floor = r["floor"]["median"]
    rows = [("floor", "import pptx+yaml, save an empty deck", None),
            ("cold", "cold build of the sample (empty cache)", ("s", 1.5)),
            ("warm", "rebuild, nothing changed", ("x", 2.0)),
            ("edit", "rebuild after editing one bullet", ("x", 2.5)),
            ("data", "rebuild after changing one CSV number", None),
            ("batch", "14-district batch (--each)", None),
            ("sequential", "14 cold builds one after another", None),
            ("big", "300-slide deck, 40 charts", None),
            ("big_text", "300-slide deck, text and tables only", None),
            ("big_text_100", "100-slide deck, text and tables only", None),
            ("length_250", "250 text slides with notes", None),
            ("length_500", "500 text slides with notes", None),
            ("length_1000", "1,000 text slides with notes", None),
            ("safety_laughs", "billion-laughs outline refused", ("s", 1.0)),
            ("safety_tag", "!!python tag refused, not run", ("s", 1.0)),
            ("safety_bigcsv", "50 MB CSV refused at 200,001 rows", ("s", 2.0)),
            ("pack_pre", "monthly pack from summarised CSVs", None),
            ("pack_raw", "monthly pack from 219k records, parsed", None),
            ("pack_raw_warm", "monthly pack from records, parse kept", None),
            ("pack_batch", "14 packs from records (--each)", None),
            ("national", "6.5M records read and aggregated", ("s", 15.0)),
            ("safety_expr", "derive: '@...os.system' refused, not run", ("s", 1.0)),
            ("safety_slides", "4,000-slide outline refused", ("s", 2.0)),
            ("pandoc", "pandoc: the same slides from Markdown", None),
            ("watch_incremental", "watch: save -> deck, one bullet edited", None),
            ("watch_full", "  the same, incremental redraw off", None),
            ("serve", "serve: save -> the slide's picture", ("s", 3.0))]
    print(f"{'measurement':<42}{'median s':>10}{'x floor':>9}{'peak MB':>9}  target")
    for key, label, target in rows:
        if key not in r or key == "map":
            continue
        m = r[key]
        ratio = m["median"] / floor
        verdict = ""
        if target:
            kind, limit = target
            value = m["median"] if kind == "s" else ratio
            unit = " s" if kind == "s" else "x floor"
            verdict = f"<= {limit}{unit}: {'met' if value <= limit else 'NOT met'}"
        print(f"{label:<42}{m['median']:>10.2f}{ratio:>9.1f}{m['rss_mb']:>9.0f}  {verdict}")
    for key in ("safety_laughs", "safety_tag", "safety_bigcsv", "safety_expr", "safety_slides"):
        if key in r:
            verdict = "met" if r[key]["rss_mb"] <= 200 else "NOT met"
            print(f"{key}: peak memory {r[key]['rss_mb']:.0f} MB (target <= 200 MB: {verdict})")
    if "pack_pre" in r and "pack_raw" in r:
        ratio = r["pack_raw"]["median"] / r["pack_pre"]["median"]
        warm = r["pack_raw_warm"]["median"] / r["pack_pre"]["median"]
        print(f"\npack from records / from summarised CSVs: {ratio:.2f}x parsed, {warm:.2f}x with "
              f"the parse kept (target <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
    if "map" in r:
        m = r["map"]
        print(f"\nmap of {m['areas']:.0f} LSOAs drawn to PNG: {m['median']:.2f} s (target <= "
              f"0.5 s: {'met' if m['median'] <= 0.5 else 'NOT met'}); boundaries read and "
              f"simplified once: {m['read_s']:.2f} s")
    if "national" in r:
        verdict = "met" if r["national"]["rss_mb"] <= 1536 else "NOT met"
        print(f"national: peak memory {r['national']['rss_mb']:.0f} MB (target <= 1.5 GB: "
              f"{verdict})")
    if "pandoc" in r and "watch_incremental" in r:
        ratio = r["watch_incremental"]["median"] / r["pandoc"]["median"]
        full = r["watch_full"]["median"] / r["pandoc"]["median"]
        print(f"\nwatch, save -> deck / pandoc: {ratio:.2f}x (target <= 1: "
              f"{'met' if ratio <= 1 else 'NOT met'}); without the incremental redraw "
              f"{full:.2f}x")
    if "batch" in r and "sequential" in r:
        share = r["batch"]["median"] / r["sequential"]["median"]
        print(f"\nbatch / sequential: {share:.0%} (target <= 40%: "
              f"{'met' if share <= 0.4 else 'NOT met'})")
    if "length_1000" in r:
        # a slide costs the same at any length when the time is linear in the slides
        first = (r["length_500"]["median"] - r["length_250"]["median"]) / 250 * 1000
        second = (r["length_1000"]["median"] - r["length_500"]["median"]) / 500 * 1000
        print(f"\nper slide, 250 -> 500 slides: {first:.1f} ms; 500 -> 1,000: {second:.1f} ms "
              f"(linear, target <= 1.3x: {'met' if second <= 1.3 * first else 'NOT met'})")
    if "big" in r and "big_text" in r:
        # the slope between 100 and 300 slides: the cost of one more slide, start-up excluded
        per_text = (r["big_text"]["median"] - r["big_text_100"]["median"]) / 200 * 1000
        per_chart = (r["big"]["median"] - r["big_text"]["median"]) / 40 * 1000
        print(f"per text slide: {per_text:.1f} ms (target <= 5 ms); per chart: "
              f"{per_chart:.0f} ms (target <= 150 ms); peak memory of the 300-slide deck: "
              f"{r['big']['rss_mb']:.0f} MB (target <= 300 MB)")


if __name__ == "__main__":
    main()
